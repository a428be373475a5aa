"""Matching a part-4 row to the passport node it repeats, and where an unmatched one goes."""

from __future__ import annotations

from workbench.dataset.text import fold
from workbench.ingest.devplan.items import _LEAVES, _Item, _language, _similarity, _stems
from workbench.ingest.devplan.nodes import _Known, _Plan


def _match(plan: _Plan, item: _Item, stack: list[tuple[int, str, bool]]) -> str | None:
    """The passport node a part-4 item repeats, or None."""
    scope: str | None = None
    for _, node_id, known in reversed(stack):
        if known:
            scope = node_id
            break
    candidates: list[_Known] = []
    queue = list(plan.children.get(scope, []))
    while queue:
        node_id = queue.pop(0)
        queue.extend(plan.children.get(node_id, []))
        known_node = plan.known.get(node_id)
        if known_node is not None and not known_node.matched and known_node.level == item.level:
            candidates.append(known_node)
    if not candidates:
        return None
    stems = _stems(item.title)
    folded = fold(item.title)
    language = _language(item.title)
    best: _Known | None = None
    best_score = 0.0
    for cand in candidates:
        same = bool(folded) and cand.folded == folded
        score = 2.0 if same else _similarity(stems, cand.stems)
        if score and item.number is not None and cand.number == item.number:
            score += 0.01
        if score > best_score:
            best, best_score = cand, score
    if best is None or best_score < 0.6:
        best = None
        for cand in candidates:
            comparable = bool(item.title and cand.title) and (
                not language or not cand.language or language == cand.language
            )
            if item.number is not None and cand.number == item.number and not comparable:
                best = cand
                break
        if best is None and item.number is None:
            lone = [c for c in candidates if c.number is None]
            if len(lone) == 1 and stems & lone[0].stems:
                best = lone[0]
    if best is None:
        return None
    best.matched = True
    return best.node_id


def _place(plan: _Plan, item: _Item, stack: list[tuple[int, str, bool]], line: int) -> str:
    while stack and stack[-1][0] >= item.level:
        stack.pop()
    found = _match(plan, item, stack)
    node_id = found
    if node_id is None:
        parent = stack[-1][1] if stack else None
        node_id = plan.add(item, parent, line, known=False)
    if item.level in _LEAVES:
        return node_id
    if found is not None:
        stack[:] = _chain(plan, found)  # the passport's own ancestry: spheres part 4 omits
    else:
        stack.append((item.level, node_id, False))
    return node_id


def _chain(plan: _Plan, node_id: str) -> list[tuple[int, str, bool]]:
    """A passport node and its ancestors, outermost first, as part-4 stack entries."""
    out: list[tuple[int, str, bool]] = []
    current: str | None = node_id
    while current is not None and current in plan.known:
        known = plan.known[current]
        out.append((known.level, current, True))
        current = known.parent
    return out[::-1]
