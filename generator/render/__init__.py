"""Stage 3, render: IR → Python source, through Jinja templates.

Takes the decided IR, the templates (built-in and the user's) and the
package's name, and gives unformatted sources (``renderer.Source``: path,
text and the template that made it).  Every value a template prints goes
through a filter that makes it safe code, and every rendered module is
checked before it goes on.

* ``renderer``: what is rendered per package, definition and service, and for
  a distribution; ``environment``: the Jinja environment and what makes every
  construct that prints go through the same check (the compiler hook, the
  sandbox, ``*.jinja`` templates only);
* ``templates``: where templates come from (built-in discovery, extra
  outputs);
* ``filters``, ``client_filters``, ``pytypes``: how IR becomes Python
  (identifiers, literals, type spellings); ``verify``: the checks on output;
* ``render_cache``: rendered modules by what their template read;
* ``usage``: the READMEs' usage example, chosen from the IR; ``paths``:
  paths in generated docs, relative to the file that shows them;
* ``export``: the IR as JSON Schema and OpenAPI.

May import: the read and infer stages, the shared modules, and the runtime
(its names and files); no later stage.
"""
