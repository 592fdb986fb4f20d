"""Keeping a big graph readable: repeated chains summarized, module scopes collapsed, and what is
still too much left out, in that order, until the picture fits ``max_nodes``.

Each step merges items into a new "group" item (``rep`` maps an item to the group holding it) or
drops items; nothing is recursive, and every choice follows the items' order, so the result is
deterministic.
"""
from collections import deque

from ._text import shape_str
from ._walk import Item

MAX_PERIOD = 8      # longest repeated pattern of ops looked for in a chain
MIN_REPEATS = 3     # a pattern is summarized when it repeats at least this often


class Reducer:
    """The items and edges of a walk, with the merges and cuts made to fit ``max_nodes``."""

    def __init__(self, items, edges, root_items):
        self.items = items
        self.edges = edges                  # (src, dst, grad Stats or None)
        self.roots = root_items
        n = len(items)
        self.rep = list(range(n))
        self.pos = list(range(n))           # drawing order
        self.ins = [[] for _ in range(n)]
        self.outs = [[] for _ in range(n)]
        for s, d, _ in edges:
            self.outs[s].append(d)
            self.ins[d].append(s)
        self.visible = n
        self.ops = [{it.opname: 1} if it.kind == "op" else {} for it in items]
        self.cluster_override = {}
        self.notes = []
        self.dropped = set()
        self.tree, self.parent = scope_tree(items)
        self.cluster = [self._cluster(it) for it in items]

    # ------------------------------------------------------------------ bookkeeping
    def find(self, i):
        rep = self.rep
        while rep[i] != i:
            rep[i] = rep[rep[i]]
            i = rep[i]
        return i

    def _group(self, members, item):
        g = len(self.items)
        self.items.append(item)
        self.rep.append(g)
        self.pos.append(min(self.pos[m] for m in members))
        ops = {}
        for m in members:
            for name, k in self.ops[m].items():
                ops[name] = ops.get(name, 0) + k
            self.rep[m] = g
        self.ops.append(ops)
        self.cluster.append(None)
        item.members = list(members)
        self.visible -= len(members) - 1
        return g

    def _cluster(self, it):
        if it.kind == "tensor" and it.role == "param" and it.name is not None:
            parts = str(it.name).split(".")
            for k in range(len(parts) - 1, 0, -1):
                prefix = ".".join(parts[:k])
                if prefix in self.tree:
                    return prefix
            return None
        return it.scope

    def cluster_of(self, v):
        return self.cluster_override.get(v, self.cluster[v])

    # ------------------------------------------------------------------ 1. repeated chains
    def summarize_chains(self):
        items, ins, outs = self.items, self.ins, self.outs
        producer = {}
        for s, d, _ in self.edges:
            if items[s].kind == "op":
                producer[d] = s
        prev, nxt = {}, {}
        for o, it in enumerate(items):
            if it.kind != "op":
                continue
            inter = [s for s in ins[o] if s in producer]
            if len(inter) != 1:
                continue
            t = inter[0]
            p = producer[t]
            if (len(outs[t]) != 1 or items[t].root or len(outs[p]) != 1
                    or items[p].scope != it.scope):
                continue
            prev[o], nxt[p] = p, o
        summarized = []
        for o in range(len(items)):
            if o in prev or o not in nxt:
                continue
            seq = [o]
            while seq[-1] in nxt:
                seq.append(nxt[seq[-1]])
            if len(seq) >= MIN_REPEATS:
                summarized += self._chain_runs(seq, prev)
        if summarized:
            n_ops = sum(reps * len(pattern) for pattern, reps in summarized)
            shown = [f"[{' → '.join(p)}] × {r}" for p, r in summarized[:3]]
            more = f" and {len(summarized) - 3} more" if len(summarized) > 3 else ""
            self.notes.append(f"{len(summarized)} repeated chain(s) of {n_ops} ops summarized: "
                              + ", ".join(shown) + more)

    def _main_input(self, o, prev):
        if o in prev:
            return self.outs[prev[o]][0]
        data = [s for s in self.ins[o] if self.items[s].kind != "const"]
        return data[0] if len(data) == 1 else None

    def _signature(self, o, main):
        items = self.items
        sig = [items[o].label]
        for s in self.ins[o]:
            it = items[s]
            if s == main:
                sig.append("·")
            elif it.kind == "const":      # the exact value: 1.0001 and 1.0002 differ
                v = it.value
                sig.append(("c", None if v is None or v.small is None else v.small.tobytes(),
                            it.shape, it.name))
            else:
                sig.append(("t", it.role, it.shape, str(it.dtype)))
        return tuple(sig)

    def _chain_runs(self, seq, prev):
        sigs = [self._signature(o, self._main_input(o, prev)) for o in seq]
        runs, i, n = [], 0, len(seq)
        while i < n:
            best = None
            for p in range(1, MAX_PERIOD + 1):
                j = i + p
                while j < n and sigs[j] == sigs[j - p]:
                    j += 1
                reps = (j - i) // p
                if reps >= MIN_REPEATS and (best is None or reps * p > best[0] * best[1]):
                    best = (reps, p)
            if best is None:
                i += 1
                continue
            reps, p = best
            run = seq[i:i + reps * p]
            runs.append(self._make_chain(run, p, reps, self._main_input(run[0], prev)))
            i += reps * p
        return runs

    def _make_chain(self, run, period, reps, main):
        items, outs = self.items, self.outs
        inside = set(run)
        members = set(run)
        for o in run[:-1]:
            members.update(outs[o])             # the tensors between the ops
        n_params = 0
        for o in run:
            for s in self.ins[o]:
                it = items[s]
                if s == main or s in members:
                    continue
                if it.kind == "const" or (it.kind == "tensor" and it.role != "inter"
                                          and not it.root
                                          and all(c in inside for c in outs[s])):
                    members.add(s)
                    n_params += it.kind == "tensor"
        pattern = [items[o].label for o in run[:period]]
        item = Item("group", "chain", label=" → ".join(pattern), scope=items[run[0]].scope)
        item.info = [f"× {reps}"] + ([f"{n_params} leaf tensors inside"] if n_params else [])
        g = self._group(sorted(members), item)
        self.cluster[g] = item.scope
        return pattern, reps

    # ------------------------------------------------------------------ 2. module scopes
    def collapse(self, scope, cand=None):
        """Merge everything of ``scope`` (and the scopes inside it) into one box; the tensors it
        hands to the rest of the graph stay visible. ``cand``: the visible items under it, when
        the caller knows them."""
        items, find = self.items, self.find
        if cand is None:
            under = scope + "."
            cand = set()
            for v in range(len(items)):
                if find(v) != v:
                    continue
                c = self.cluster_of(v)
                if c is not None and (c == scope or c.startswith(under)):
                    cand.add(v)
        if not any(items[v].kind in ("op", "group") for v in cand):
            return False
        keep = set()
        for v in cand:
            it = items[v]
            if it.kind == "tensor" and (it.root or any(find(c) not in cand
                                                        for c in self._consumers(v))):
                keep.add(v)
        members = sorted(cand - keep)
        if len(members) < 2:
            return False
        parent = self.parent.get(scope)
        for v in keep:
            self.cluster_override[v] = parent
        params = [items[m] for m in members if items[m].kind == "tensor"
                  and items[m].role == "param"]
        item = Item("group", "scope", name=scope)
        g = self._group(members, item)
        self.cluster[g] = parent
        ops = self.ops[g]
        listed = ", ".join(f"{k} ×{n}" if n > 1 else k for k, n in ops.items())
        item.info = [f"{sum(ops.values())} ops: {listed}"]
        if params:
            names = [f"{_relative(p.name, scope)} {shape_str(p.shape)}" for p in params[:4]]
            more = f" +{len(params) - 4} more" if len(params) > 4 else ""
            item.info.append("parameters: " + ", ".join(names) + more)
        return True

    def _consumers(self, v):
        """What reads item ``v``: for a group, what reads its members (outside the group)."""
        it = self.items[v]
        if it.members is None:
            return self.outs[v]
        out = []
        stack = list(it.members)
        while stack:
            m = stack.pop()
            if self.items[m].members is not None:
                stack.extend(self.items[m].members)
            else:
                out.extend(self.outs[m])
        return out

    def collapse_until(self, budget):
        depths = sorted({s.count(".") for s in self.tree}, reverse=True)
        for d in depths:
            if self.visible <= budget:
                break
            under = {}          # scope -> the visible items in it or in a scope inside it
            for v in range(len(self.items)):
                if self.find(v) == v:
                    c = self.cluster_of(v)
                    while c is not None:
                        under.setdefault(c, set()).add(v)
                        c = self.parent.get(c)
            # scopes of one depth are disjoint, so collapsing one leaves the others' sets valid
            for s in sorted((s for s in self.tree if s.count(".") == d), key=scope_key):
                if s in under:
                    self.collapse(s, under[s])

    def _note_collapsed(self):
        boxes = sorted((it.name for g, it in enumerate(self.items)
                        if it.role == "scope" and self.find(g) == g), key=scope_key)
        if not boxes:
            return
        n = sum(1 for it in self.items if it.role == "scope")
        shown = ", ".join(boxes[:6]) + (f" and {len(boxes) - 6} more" if len(boxes) > 6 else "")
        inner = f" ({n - len(boxes)} more inside them)" if n > len(boxes) else ""
        self.notes.append(f"{len(boxes)} module(s) collapsed into one box each{inner}: {shown}")

    # ------------------------------------------------------------------ 3. leaving out
    def truncate(self, budget):
        """Keep the ``budget`` items nearest the roots (breadth first, against the data flow)."""
        find = self.find
        preds = {}
        for s, d, _ in self.edges:
            a, b = find(s), find(d)
            if a != b:
                preds.setdefault(b, []).append(a)
        kept, seen = [], set()
        queue = deque()
        for r in self.roots:
            r = find(r)
            if r not in seen:
                seen.add(r)
                queue.append(r)
        while queue and len(kept) < budget:
            v = queue.popleft()
            kept.append(v)
            for u in preds.get(v, ()):
                if u not in seen:
                    seen.add(u)
                    queue.append(u)
        kept = set(kept)
        visible = [v for v in range(len(self.items)) if find(v) == v]
        self.dropped = {v for v in visible if v not in kept}
        if self.dropped:
            ops = {}
            for v in self.dropped:
                for k, n in self.ops[v].items():
                    ops[k] = ops.get(k, 0) + n
            top = sorted(ops.items(), key=lambda kv: (-kv[1], kv[0]))[:4]
            listed = ", ".join(f"{k} ×{n}" for k, n in top)
            self.notes.append(
                f"{len(self.dropped)} nodes farther from the output not drawn "
                f"({sum(ops.values())} ops: {listed}); dashed edges come from them")
            self.visible -= len(self.dropped)

    def reduce(self, max_nodes, need_note, collapse=None):
        """Collapse the scopes asked for; then, if the picture (and its note) exceeds
        ``max_nodes``, summarize chains, collapse scopes deepest first, and leave out the rest."""
        if collapse:
            names = sorted(self.tree if collapse is True else collapse,
                           key=lambda s: (-s.count("."), scope_key(s)))
            if collapse is True:
                names = [s for s in names if self.parent.get(s) is None]
            for s in names:
                self.collapse(s)
            self._note_collapsed()
        if self.visible + (1 if need_note or self.notes else 0) <= max_nodes:
            return
        budget = max_nodes - 1      # one node is the note saying what was done
        self.summarize_chains()
        if self.visible > budget:
            self.notes = [n for n in self.notes if "module(s) collapsed" not in n]
            self.collapse_until(budget)
            self._note_collapsed()
        if self.visible > budget:
            self.truncate(budget)


def scope_key(scope):
    """Sort key putting layers.2 before layers.10."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in scope.split("."))


def _relative(name, scope):
    name = str(name)
    return name[len(scope) + 1:] if name.startswith(scope + ".") else name


def const_text(it):
    """A constant's label: its value when it is a known scalar, else "constant"."""
    v = it.value
    if v is not None and v.size == 1 and v.small is not None:
        return f"{v.small.reshape(()).item():.6g}"
    return "constant"


def scope_tree(items):
    """The module scopes to draw as clusters, and each one's enclosing scope.

    The scopes the ops carry, plus each dotted prefix under which two or more of them branch
    (``layers`` for ``layers.0`` and ``layers.1``)."""
    present = {it.scope for it in items if it.kind == "op" and it.scope is not None}
    branches = {}
    for s in present:
        parts = s.split(".")
        for k in range(1, len(parts)):
            branches.setdefault(".".join(parts[:k]), set()).add(parts[k])
    tree = set(present) | {p for p, c in branches.items() if len(c) >= 2}
    parent = {}
    for s in tree:
        parts = s.split(".")
        parent[s] = None
        for k in range(len(parts) - 1, 0, -1):
            prefix = ".".join(parts[:k])
            if prefix in tree:
                parent[s] = prefix
                break
    return tree, parent
