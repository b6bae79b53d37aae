"""Parse XML from other tools without trusting it.

The parser resolves no entities, loads no DTD, never touches the network and keeps libxml2's
limits on (``huge_tree`` off: no text node over 10 MB, no nesting deeper than 256). A document
with a DOCTYPE is refused outright: REFI-QDA files have none, and entity declarations are how
"billion laughs" and XXE attacks start. Namespaces are dropped after parsing so that every
``urn:QDA-XML:*`` version (``project:1.0``, ``codebook:1:0``, ``project:0:10``...) reads the same.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from coding.exchange.refi.errors import RefiError

QDA_NAMESPACE_PREFIX = "urn:QDA-XML:"


def _parser() -> Any:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        recover=False,
    )


def _doctype(name: str) -> RefiError:
    return RefiError(
        f"{name} declares a DOCTYPE (entities); REFI-QDA files have none, so it is refused."
    )


def parse_xml(data: bytes, *, name: str) -> tuple[Any, str]:
    """The root element of ``data`` with namespaces removed, and the namespace it had.

    Raises RefiError naming ``name`` for anything that is not safe, well-formed REFI-QDA XML.
    """
    if not data.strip():
        raise RefiError(f"{name} is empty.")
    head = data[:65536]
    if b"<!DOCTYPE" in head or "<!DOCTYPE".encode("utf-16-le") in head:
        raise _doctype(name)
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        message = str(exc.msg or exc).splitlines()[0]
        raise RefiError(f"{name} is not well-formed XML: {message}.") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise _doctype(name)
    namespace = etree.QName(root).namespace or ""
    if namespace and not namespace.startswith(QDA_NAMESPACE_PREFIX):
        raise RefiError(
            f"{name} is XML in the namespace {namespace!r}, not a REFI-QDA (urn:QDA-XML:...) file."
        )
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            element.tag = etree.QName(element).localname
    return root, namespace
