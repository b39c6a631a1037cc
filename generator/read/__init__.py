"""Stage 1, read: Markdown → IR.

Takes the spec files (model docs, service docs and the doc set's README) and
gives the resolved IR (``ir.Api``: models, enums, unions, services, with every
reference resolved) plus what the README says (base URL, auth, environments),
and diagnostics at ``file:line``.  Names on the wire are still as the docs
write them; deciding them is the next stage's work.

* ``specs``: the stage's entry point (``read_api``): find, parse (cached, in
  parallel) and resolve;
* ``inputs``: which files a run reads (``include``/``exclude``), and their
  text;
* ``parse``, ``parse_table``, ``parse_type``: model docs (mistune's block
  tokens, GFM tables, type spellings of every dialect); ``build``: blocks →
  definitions; ``unions``: which headings are a union's variants;
* ``parse_service``, ``build_service``: service docs → services and methods;
* ``parse_readme``: the README's base URL, auth and environments;
* ``resolve``: references across files, class and module names;
  ``duplicates``: a service documented twice (a Kotlin copy) generated once;
  ``class_names``: mechanical class names (``Model1``, ``LoggingAxiom2``)
  replaced by names derived from where they are used, and ``class-names``;
* ``parse_cache``: parsed files by path and text;
* ``samples``: samples of real traffic for ``docs2py learn`` (HAR files,
  Postman collections in ``sample_postman``, plain JSON bodies) →
  ``exchanges``; ``sample_json``: JSON with lines, validated against the
  published schemas in ``schemas/``; ``learned_file``: reading the learned
  file (``docs2py.lock.toml``).

May import: the shared modules (``ir``, ``diagnostics``, ``names``,
``settings``, ``workers``, ``cache``); no other stage.
"""
