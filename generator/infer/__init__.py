"""Stage 2, infer: decisions about the wire, each with its evidence.

Takes the resolved IR (and the README's auth) and gives the same IR with the
wire decided: every property's JSON key, every parameter's location and name,
body encodings, paging and auth, each decision recorded in the IR with the
rule and the evidence that made it (``docs2py ir`` shows them), and the user's
overrides applied.

* ``decisions``: the stage's entry point (``decide``): the decisions in order;
* ``bundles``: Java's ``requestParameters`` spread into their members;
* ``wirekeys``: JSON keys and query/header names (``refine``), from
  ``wire_evidence`` (what the docs reveal, and what each kind of sighting
  weighs), ``wire_styles`` (one style per API, per kind of name), ``priors``
  (each dialect's rule where the docs show nothing, with the counts behind
  it) and ``casing`` (conversions that lose nothing); ``field_keys`` decides
  each model property's key and ``param_names`` each query/header
  parameter's name and place, both with ``spelling`` (the docs' spelling of
  a Name weighed against the style's, and what a decision rests on) over
  the ``wire_context`` they share;
* ``param_styles``: how array and object parameters are spelled (OpenAPI's
  styles), from ``style_evidence`` (bracketed names, example query strings,
  "comma-separated" descriptions);
* ``bodies``: body encodings; ``paging``: how list methods page;
* ``api_version``: the parameters that carry the API's version (set once
  with ``Client(api_version=…)``);
* ``base_url``: the base URL the README's example calls show, where it
  names none (an endpoint's path matched by ``endpoint_paths``, as samples
  are);
* ``auth``: where the API key goes (a setting, the docs' evidence, or the
  default ``X-API-Key``, a guess);
* ``overrides``: matching ``--wire-key``/``--param``/… to models and methods;
* ``guesses``: the decisions that rest on no evidence, and how to pin each;
* ``learning``: samples of real traffic → what they show (``docs2py learn``),
  matched to methods and models by ``sample_match``; ``learned``: what the
  learned file says, applied between the steps above as the strongest
  evidence (source ``sample``).
* ``checks``: last, that what the client will send can be sent (header names
  are RFC 9110 tokens, header values printable ASCII).

May import: the read stage and the shared modules; no later stage.
"""
