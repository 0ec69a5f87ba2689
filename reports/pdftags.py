"""Finish WeasyPrint's tagged PDF so that it holds as PDF/UA-1 (ISO 14289-1).

WeasyPrint 70 tags the page content well but leaves two gaps that this module closes by
rewriting the PDF with pikepdf, after layout and before the bytes leave the worker:

- Margin boxes (running header, page numbers, footer, the UTKAST mark) are drawn as marked
  content with an MCID whose structure element is never linked into the tree (its code says
  so: an Artifact in the tree is PDF 2.0 only). A reader that follows the ParentTree still
  finds them, and page content must be either real content in the tree or an artifact
  (PDF/UA-1 7.1). Here each such sequence becomes `/Artifact <</Type /Pagination>> BDC`
  and its ParentTree entry is emptied, so the page furniture is out of the structure tree.
- Header cells get IDs and data cells /Headers, but no header cell says which way it points.
  Each /TH gets `/Scope`: /Column in a table head, /Row in a body (the templates put
  `scope="col"` in <thead> and `scope="row"`/`"rowgroup"` in <tbody>).
"""

import io

import pikepdf
from pikepdf import Array, Dictionary, Name

PAGINATION = Dictionary(Type=Name.Pagination)


def finish_tags(pdf: bytes) -> bytes:
    """Return `pdf` with its page furniture as artifacts and its header cells scoped."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root.get("/StructTreeRoot")
        if root is None:
            return pdf
        reachable = _reachable(root)
        orphans = _orphan_mcids(document, root, reachable)
        for index, page in enumerate(document.pages):
            if orphans.get(index):
                _artifact_marked_content(document, page, orphans[index])
        _scope_header_cells(root)
        output = io.BytesIO()
        document.save(output)
    return output.getvalue()


def _reachable(root) -> set:
    """objgen of every structure element linked from the root through /K."""
    seen = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if not isinstance(node, Dictionary):
            continue
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        kids = node.get("/K")
        if isinstance(kids, Array):
            stack.extend(kid for kid in kids if isinstance(kid, Dictionary))
        elif isinstance(kids, Dictionary):
            stack.append(kids)
    return seen


def _orphan_mcids(document, root, reachable) -> dict[int, set[int]]:
    """page index → MCIDs whose structure element is not in the tree (the margin boxes)."""
    parent_tree = root.get("/ParentTree")
    if parent_tree is None:
        return {}
    nums = parent_tree.get("/Nums")
    if nums is None:
        return {}
    orphans: dict[int, set[int]] = {}
    page_count = len(document.pages)
    for position in range(0, len(nums), 2):
        key = int(nums[position])
        entries = nums[position + 1]
        if key >= page_count or not isinstance(entries, Array):
            continue
        for mcid, element in enumerate(entries):
            if isinstance(element, Dictionary) and element.objgen not in reachable:
                orphans.setdefault(key, set()).add(mcid)
                entries[mcid] = None
    return orphans


def _artifact_marked_content(document, page, mcids: set[int]) -> None:
    """Turn the marked-content sequences of `mcids` on `page` into pagination artifacts."""
    instructions = pikepdf.parse_content_stream(page)
    changed = False
    rewritten = []
    for operands, operator in instructions:
        if str(operator) == "BDC" and len(operands) == 2:
            properties = operands[1]
            if (
                isinstance(properties, Dictionary)
                and "/MCID" in properties
                and int(properties.MCID) in mcids
            ):
                rewritten.append(([Name.Artifact, PAGINATION], operator))
                changed = True
                continue
        rewritten.append((operands, operator))
    if changed:
        page.Contents = document.make_stream(pikepdf.unparse_content_stream(rewritten))


def _scope_header_cells(root) -> None:
    """Give each /TH a /Scope: /Column under /THead, /Row elsewhere."""
    stack = [(root, False)]
    seen = set()
    while stack:
        node, in_head = stack.pop()
        if not isinstance(node, Dictionary):
            continue
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        role = node.get("/S")
        if role == Name.THead:
            in_head = True
        elif role in (Name.TBody, Name.TFoot):
            in_head = False
        elif role == Name.TH:
            attributes = node.get("/A")
            if not isinstance(attributes, Dictionary):
                attributes = Dictionary(O=Name.Table)
                node.A = attributes
            if "/Scope" not in attributes:
                attributes.Scope = Name.Column if in_head else Name.Row
        kids = node.get("/K")
        if isinstance(kids, Array):
            stack.extend((kid, in_head) for kid in kids if isinstance(kid, Dictionary))
        elif isinstance(kids, Dictionary):
            stack.append((kids, in_head))
