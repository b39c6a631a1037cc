"""Stage 4, write: sources → files on disk, formatted.

Takes the rendered sources and the folders to write, and gives formatted files
(black where it changes something, in parallel, cached) written safely: a
manifest of what docs2py wrote, all or nothing, with locks, no symbolic link
followed, a hand edit never overwritten.

* ``format``, ``format_cache``: black, and its cache; the record of what each
  run wrote (for the up-to-date shortcut); ``black_shape``: the definition
  modules black would leave as they are, which skip it;
* ``package``: planning and swapping in the package folder;
  ``inplace``: the distribution's files, replaced one by one with a journal;
  ``folders``: locks and link-safe file operations;
* ``distribution``: where the package sits in its distribution, and whether
  its metadata is valid;
* ``learned_file``: the learned file ``docs2py learn --write`` keeps
  (deterministic text, replaced atomically).

May import: the earlier stages and the shared modules; not ``core`` or
``cli``.
"""
