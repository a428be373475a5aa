"""The plan tree: City ▸ Plan ▸ Direction ▸ Section/Goal ▸ Task ▸ Indicator, built lazily.

Each tree node carries the catalog index of its item; its children are added only when it is
first expanded, so a dataset of a thousand plans costs the rows on screen, not the rows in the
dataset. Labels are drawn from the catalog at render time (a new year or filter only refreshes
them) and are always literal text, shortened to the width of the pane.

Until the catalog is counted the tree shows the cities and their plans alone, with no status
(:meth:`PlanTree.show_top`, from :class:`workbench.analysis.top_level.TopLevel`); when the catalog
comes, :meth:`PlanTree.show` keeps the row the cursor is on and the branches opened meanwhile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from screens.bindings import bindings
from screens.labels import PLAN_KINDS, STATUS_CLASS, clean, glyph, rollup_parts, shorten
from workbench.analysis.glyphs import ANNOTATED_GLYPH, CLAIM_GLYPH
from workbench.i18n import _

if TYPE_CHECKING:
    from workbench.analysis.catalog import Catalog
    from workbench.analysis.outline import View
    from workbench.analysis.top_level import TopLevel

# Expand-all opens the whole tree up to this many rows, else the cursor's plan: a tree of a
# thousand plans open at once would be built node by node for nothing anyone reads.
EXPAND_LIMIT = 20_000


class PlanTree(Tree[int], inherit_bindings=False):
    """The tree of cities, plans and their nodes.

    | Key | Does |
    | :- | :- |
    | ↓ j / ↑ k | move |
    | Enter → l | expand, go into, or open the detail of a leaf |
    | Esc ← h | collapse, or go up to the parent |
    """

    BINDINGS: ClassVar = bindings(
        "cursor_down", "cursor_up", "open", "close", "page_down", "page_up", "first", "last"
    )
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *STATUS_CLASS.values(),
        "plan-tree--code",
        "plan-tree--muted",
        "plan-tree--match",
        "plan-tree--claim",
        "plan-tree--city",
    }
    DEFAULT_CSS = """
    PlanTree {
        & > .status--met { color: $success; }
        & > .status--at-risk { color: $warning; }
        & > .status--off-track { color: $error; text-style: bold; }
        & > .status--no-data { color: $foreground-muted; }
        & > .plan-tree--code { color: $foreground-muted; }
        & > .plan-tree--muted { color: $foreground-muted; }
        & > .plan-tree--match { text-style: underline; }
        & > .plan-tree--claim { color: $error; text-style: bold; }
        & > .plan-tree--city { text-style: bold; }
        /* Textual draws the guides of a 16-colour theme in the background's colour (black on a
           dark terminal): the terminal's own text colour, dimmed, reads on any background. */
        &:ansi > .tree--guides, &:ansi > .tree--guides-hover {
            color: ansi_default;
            text-style: dim;
        }
    }
    """
    ICON_NODE = "▸ "
    ICON_NODE_EXPANDED = "▾ "

    class Opened(Message):
        """Enter on a leaf: the screen opens the detail of ``idx``."""

        def __init__(self, idx: int) -> None:
            self.idx = idx
            super().__init__()

    class BackAtTop(Message):
        """Esc with nowhere left to go up: the screen may clear the filter."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(Text("plans"), **kwargs)  # no markup to parse (nor its emoji table)
        self.show_root = False
        self.guide_depth = 2
        self.auto_expand = True
        self.catalog: Catalog | None = None
        self.view: View | None = None
        # The cities and plans shown before the catalog is counted (then catalog is None).
        self.top: TopLevel | None = None
        self._by_idx: dict[int, TreeNode[int]] = {}
        self._filled: set[int] = set()
        self._matched: set[int] = set()
        self._rows: dict[int, dict[str, Any]] = {}
        self._open: set[int] = set()

    # -- building ----------------------------------------------------------------------------

    def show_top(self, top: TopLevel) -> None:
        """The cities and their plans before the catalog is counted: no status, no nodes (a
        plan opened now shows its nodes once the catalog comes)."""
        self.top = top
        self.catalog = self.view = None
        self._reset()
        roots = top.children(-1)
        for idx in roots:
            self._add(self.root, idx, True, False)
        if len(roots) <= 6:  # as show() does: few cities open
            for idx in roots:
                self._fill(self._by_idx[idx])
                self._by_idx[idx].expand()
        if roots:
            self._move_to(self._by_idx[roots[0]])

    def _reset(self) -> None:
        self.clear()
        self._by_idx = {}
        self._filled = set()
        self._matched = set()
        self._rows = {}

    def _carried(self, catalog: Catalog) -> int | None:
        """From the cities and plans of :meth:`show_top` to the catalog: the branches open
        now become :attr:`_open`; the cursor's row in the catalog is returned."""
        from workbench.analysis.top_level import TopLevel

        top = self.top
        assert top is not None
        opened = (TopLevel.key_in(catalog, top.key(idx)) for idx in self._opened())
        self._open = {idx for idx in opened if idx is not None}
        here = self.cursor_idx
        return None if here is None else TopLevel.key_in(catalog, top.key(here))

    def show(self, view: View, *, keep: int | None = None) -> None:
        """Show the tree a view shows; put the cursor on ``keep`` if it is shown, else on the
        view's first match, else on the first row. Branches open before stay open where the
        new view shows them (clearing a filter or saving must not fold the tree). After
        :meth:`show_top`, the open branches are those the analyst left there, and so is the
        cursor's row unless a filter typed meanwhile puts it on its first match, as typing
        does (``keep`` is not used).

        The tree is changed in place, branch by branch: a row the new view still shows is
        kept as it is (its line is drawn again only if it changed), one it hides goes, one it
        adds comes in its place, so a letter typed costs the rows that change."""
        carried = self.top is not None
        if carried:
            here = self._carried(view.catalog)
            keep = None if view.active else here
            self.top = None
            self._reset()
        else:
            # a branch the old view hid keeps the state it had when last shown
            self._open = (self._open - self._by_idx.keys()) | set(self._opened())
        # Another year or count, or matches underlined or no more: every label drawn again.
        relabel = view.catalog is not self.catalog or self._underlines(self.view) != (
            self._underlines(view)
        )
        self.catalog = view.catalog
        self.view = view
        if relabel:
            self.refresh_labels()
        # Few cities: open them, so the plans are one glance away (unless the analyst has
        # folded them already, before the catalog came).
        few = not view.active and not carried and len(view.catalog.roots()) <= 6
        self._update(self.root, -1, open_all=few)
        target = keep if keep is not None and view.shows(keep) else view.next_match(-1)
        if target is not None:
            self.reveal(target)
        elif self.root.children:
            self._move_to(self.root.children[0])

    def _update(self, node: TreeNode[int], idx: int, *, open_all: bool = False) -> None:
        """Make ``node``'s children the items the view shows below ``idx`` (-1: the top), in
        its order, and open those of :attr:`_open` (all of them with ``open_all``), down the
        tree. A child shown before is kept, updated if its state changed; a closed one
        forgets its children (they are read again from the view when it is opened)."""
        assert self.view is not None
        shown = self.view.shown_children(idx)
        wanted = {kid for kid, _, _ in shown}
        kept = [child for child in node.children if child.data in wanted]
        for child in list(node.children):
            if child.data not in wanted:
                self._drop(child)
        staying = {child.data for child in kept}
        if [child.data for child in kept] != [kid for kid, _, _ in shown if kid in staying]:
            for child in kept:  # another order (a sort): the kept rows come again, in it
                self._drop(child)
            kept = []
        self._filled.add(idx)
        at = 0
        for place, (kid, opens, matched) in enumerate(shown):
            if at < len(kept) and kept[at].data == kid:
                child = kept[at]
                at += 1
                self._restate(child, opens, matched)
            else:
                child = self._add(node, kid, opens, matched, before=place)
            if opens and (open_all or kid in self._open):
                self._update(child, kid)
                if not child.is_expanded:
                    child.expand()
            elif kid in self._filled:
                if child.is_expanded:
                    child.collapse()
                for grandchild in list(child.children):
                    self._drop(grandchild)
                self._filled.discard(kid)

    @staticmethod
    def _underlines(view: View | None) -> bool:
        """Whether the view's matches are underlined: those of a query."""
        return view is not None and bool(view.filter.query)

    def _restate(self, node: TreeNode[int], opens: bool, matched: bool) -> None:
        """A row kept from the view before: drawn again if what it shows changed."""
        idx = node.data
        assert idx is not None and self.view is not None
        was_marked = idx in self._matched
        if matched:
            self._matched.add(idx)
        else:
            self._matched.discard(idx)
        if node.allow_expand != opens or was_marked != matched:
            node.allow_expand = opens
            node.refresh()

    def _drop(self, node: TreeNode[int]) -> None:
        """Take ``node`` and its branch out of the tree."""
        stack = [node]
        while stack:
            gone = stack.pop()
            stack.extend(gone.children)
            if gone.data is not None:
                self._by_idx.pop(gone.data, None)
                self._filled.discard(gone.data)
                self._matched.discard(gone.data)
        node.remove()

    def _opened(self) -> list[int]:
        """The expanded nodes' idx, each parent before its children."""
        found: list[int] = []
        stack = list(reversed(self.root.children))
        while stack:
            node = stack.pop()
            if node.is_expanded and node.data is not None:
                found.append(node.data)
                stack.extend(reversed(node.children))
        return found

    def _add(
        self,
        parent: TreeNode[int],
        idx: int,
        opens: bool,
        matched: bool,
        before: int | None = None,
    ) -> TreeNode[int]:
        node = self._by_idx[idx] = parent.add(Text(), data=idx, allow_expand=opens, before=before)
        if matched:
            self._matched.add(idx)
        return node

    def _fill(self, node: TreeNode[int]) -> None:
        idx = node.data
        if idx is None or idx in self._filled:
            return
        if self.top is not None:
            kids = [(kid, True, False) for kid in self.top.children(idx)]
        elif self.view is not None:
            kids = self.view.shown_children(idx)
        else:
            return
        self._filled.add(idx)
        for kid, opens, matched in kids:
            self._add(node, kid, opens, matched)

    def on_tree_node_expanded(self, event: Tree.NodeExpanded[int]) -> None:
        self._fill(event.node)

    def reveal(self, idx: int) -> TreeNode[int] | None:
        """Open the way down to ``idx`` and put the cursor on it."""
        if self.catalog is None:
            return None
        node: TreeNode[int] | None = None
        for step in self.catalog.path(idx):
            node = self._by_idx.get(step)
            if node is None:
                return None
            if step != idx:
                self._fill(node)
                if not node.is_expanded:
                    node.expand()
        if node is not None:
            self._move_to(node)
        return node

    def _move_to(self, node: TreeNode[int]) -> None:
        # A node's line number is known only once the lines are rebuilt after an expansion;
        # reading ``_tree_lines`` rebuilds them now rather than on the next idle.
        self._tree_lines  # noqa: B018
        self.move_cursor(node)
        self.call_after_refresh(self.scroll_to_node, node, animate=False)

    def refresh_labels(self) -> None:
        """Redraw every label (after the year or the catalog changed)."""
        self._rows = {}
        self._invalidate()

    @property
    def cursor_idx(self) -> int | None:
        node = self.cursor_node
        return None if node is None else node.data

    def expand_everything(self, limit: int = EXPAND_LIMIT) -> bool:
        """Open every branch the view shows, the cursor staying on its row; above ``limit``
        rows only the cursor's plan (or city) is opened, and False says so."""
        if self.catalog is None or self.view is None:
            return True
        here = self.cursor_node
        tops: list[TreeNode[int]] = list(self.root.children)
        whole = self.catalog.size <= limit
        if not whole and here is not None and here.data is not None:
            path = self.catalog.path(here.data)
            top = path[1] if len(path) > 1 else path[0]  # the plan, else the city
            node = self._by_idx.get(top)
            tops = [node] if node is not None else []
        stack = list(reversed(tops))
        while stack:
            node = stack.pop()
            if not node.allow_expand:
                continue
            self._fill(node)
            if not node.is_expanded:
                node.expand()
            stack.extend(reversed(node.children))
        if here is not None:
            self._move_to(here)
        return whole

    def collapse_everything(self) -> None:
        """Close every branch but those on the way to the cursor's row (the row itself closes),
        the cursor staying on it."""
        here = self.cursor_node
        keep: set[int] = set()
        if here is not None and here.data is not None and self.catalog is not None:
            keep = set(self.catalog.path(here.data)[:-1])
        for idx in self._opened():
            node = self._by_idx.get(idx)
            if node is not None and idx not in keep:
                node.collapse()
        if here is not None:
            self._move_to(here)

    # -- keys --------------------------------------------------------------------------------

    def action_open(self) -> None:
        node = self.cursor_node
        if node is None or node.data is None:
            return
        if node.allow_expand:
            if not node.is_expanded:
                self._fill(node)
                node.expand()
            elif node.children:
                self._move_to(node.children[0])
        else:
            self.post_message(self.Opened(node.data))

    def action_close(self) -> None:
        node = self.cursor_node
        if node is None:
            self.post_message(self.BackAtTop())
            return
        if node.allow_expand and node.is_expanded:
            node.collapse()
        elif node.parent is not None and node.parent is not self.root:
            self._move_to(node.parent)
        else:
            self.post_message(self.BackAtTop())

    # -- labels ------------------------------------------------------------------------------

    def render_label(self, node: TreeNode[int], base_style: Style, style: Style) -> Text:
        idx = node.data
        source = self.catalog if self.catalog is not None else self.top
        if idx is None or source is None:
            return Text("")
        row = self._rows.get(idx)
        if row is None:
            row = self._rows[idx] = source.row(idx)
        depth = int(row["depth"]) + 1
        room = self.scrollable_content_region.width - depth * self.guide_depth
        room -= 2 if node.allow_expand else 0
        text = self._label(row, max(room, 8), node.allow_expand)
        text.stylize(style)
        if node.allow_expand:
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
            return Text.assemble((icon, base_style), text)
        return text

    def get_label_width(self, node: TreeNode[int]) -> int:
        # Labels are cut to the pane's width, so they never need a horizontal scroll; not
        # rendering every label to measure it keeps a rebuild of the tree cheap.
        return 1

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name, partial=True)

    def _label(self, row: dict[str, Any], room: int, expandable: bool) -> Text:
        level = row["level"]
        head = Text()
        if row["is_indicator"]:
            status = row["status"] or "no_data"
            head.append(glyph(status), self._style(STATUS_CLASS[status]))
            if row["claim_mismatch"]:
                head.append(CLAIM_GLYPH, self._style("plan-tree--claim"))
            head.append(" ")
        elif row["kind"] in ("activity", "grant"):
            head.append("· ", self._style("plan-tree--muted"))
        if self.catalog is not None and self.catalog.is_annotated(row["plan_id"], row["node_id"]):
            head.append(ANNOTATED_GLYPH + " ")  # the analyst's note on it (issue 6)
        if level == "city":
            name = f"{clean(row['city'])} · {clean(row['title'])}"
            title_style = self._style("plan-tree--city")
        elif level == "plan":
            name = self._plan_name(row)
            title_style = Style()
        else:
            code = clean(row["code"])
            if code:
                head.append(code + " ", self._style("plan-tree--code"))
            name = clean(row["title"])
            title_style = Style()
        if row["idx"] in self._matched and self._underlines(self.view):
            title_style += self._style("plan-tree--match")
        tail = self._rollup(row) if expandable else Text()
        if tail.cell_len and head.cell_len + tail.cell_len + 12 > room:
            tail = Text()
        space = room - head.cell_len - (tail.cell_len + 1 if tail.cell_len else 0)
        title = shorten(name, space)
        out = head + Text(title, style=title_style)
        if tail.cell_len:
            out.append(" " * max(1, room - out.cell_len - tail.cell_len))
            out.append_text(tail)
        return out

    def _plan_name(self, row: dict[str, Any]) -> str:
        """The plan's kind and period (translated) and its title (as printed)."""
        source = self.catalog if self.catalog is not None else self.top
        assert source is not None
        plan = source.plan_row(str(row["plan_id"]))
        if plan is None:
            return clean(row["title"])
        period = f"{plan['period_start']}–{plan['period_end']}"
        if plan["period_start"] == plan["period_end"]:
            period = str(plan["period_start"])
        kind = _(PLAN_KINDS.get(str(plan["kind"]), str(plan["kind"])))
        if plan["report_year"] is not None:
            kind = _("report {year}").format(year=plan["report_year"])
        return f"{kind}, {period}: {clean(plan['title'])}"

    def _rollup(self, row: dict[str, Any]) -> Text:
        if not row.get("total"):
            return Text()
        text = Text()
        for piece, status in rollup_parts(row, compact=True):
            if text.cell_len:
                text.append(" ")
            text.append(piece, self._style(STATUS_CLASS[status]))
        return text
