"""Griffe extension for the API reference: Sphinx roles in docstrings become inline code.

The docstrings cite other names as Sphinx does (``:func:`gradcheck```, ``:meth:`Tensor.backward```,
``:class:`~nn.Linear```); mkdocstrings does not read those roles and would print them as they are.
This rewrites each one to ```name``` (``~`` keeps the last component), so the reference reads
as the source means it. Loaded by mkdocs.yml (mkdocstrings' ``extensions`` option).
"""
import re

import griffe

ROLE = re.compile(r":(?:py:)?(?:func|meth|class|attr|mod|data|exc|obj|const|term):"
                  r"`(?P<tilde>[~!]?)(?P<target>[^`<]+?)(?:\s*<(?P<link>[^`>]+)>)?`")


def _code(match):
    target = match["target"].strip()
    if match["link"]:                   # :func:`title <target>`
        return f"`{target}`"
    if match["tilde"] == "~":
        target = target.rsplit(".", 1)[-1]
    return f"`{target}`"


def unrole(text):
    """``text`` with its Sphinx roles written as inline code."""
    return ROLE.sub(_code, text)


class SphinxRoles(griffe.Extension):
    """Rewrites the roles of every docstring griffe reads."""

    def on_instance(self, *, obj, **kwargs):
        if obj.docstring is not None and ":" in obj.docstring.value:
            obj.docstring.value = unrole(obj.docstring.value)
