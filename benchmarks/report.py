"""The results table and the header of a benchmark run: machine, versions, settings."""
import datetime
import math
import os
import platform

import numpy as np

import autograd as ag


def machine_info(torch, profile):
    info = {"date": datetime.datetime.now().isoformat(timespec="seconds"),
            "profile": profile,
            "platform": platform.platform(),
            "cpu": _cpu_name(), "cpu_count": os.cpu_count(),
            "python": platform.python_version(), "numpy": np.__version__,
            "autograd": getattr(ag, "__version__", "?"),
            # which engine ran: the compiled loops, or the pure-Python one (AUTOGRAD_PURE_PYTHON)
            "engine": "compiled core" if ag.engine.compiled else "pure Python"}
    try:
        info["blas"] = np.show_config(mode="dicts")["Build Dependencies"]["blas"]["name"]
    except Exception:  # noqa: BLE001 - the header is informative only
        info["blas"] = "?"
    try:
        from threadpoolctl import threadpool_info
        info["blas_threads"] = [d.get("num_threads") for d in threadpool_info()]
    except Exception:  # noqa: BLE001
        pass
    try:
        from importlib.metadata import version
        info["scikit-learn"] = version("scikit-learn")
    except Exception:  # noqa: BLE001
        pass
    if torch:
        info["torch"] = torch.__version__
        info["torch_threads"] = torch.get_num_threads()
    # settings that change the figures: thread counts and glibc's allocator (large arrays
    # come from mmap and page-fault on first touch unless these are raised)
    env = {k: v for k, v in os.environ.items()
           if k.startswith(("MALLOC_", "OMP_NUM", "OPENBLAS_NUM", "MKL_NUM"))}
    if env:
        info["environment"] = env
    if hasattr(os, "getloadavg"):
        info["load_average_at_start"] = [round(v, 2) for v in os.getloadavg()]
    return info


def _cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _fmt(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "-"
    a = abs(v)
    if a >= 100:
        return f"{v:.0f}"
    if a >= 10:
        return f"{v:.1f}"
    if a >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def verdict(r):
    """PASS or FAIL against the target; with "?" when the ratio's IQR straddles the target or
    the row is noisy: the verdict of that run is not to be trusted."""
    if "passed" not in r:
        return ""
    word = "PASS" if r["passed"] else "FAIL"
    t = r.get("target")
    unsure = r.get("uncertain") or (isinstance(t, float) and "ratio_q1" in r
                                    and r["ratio_q1"] <= t < r["ratio_q3"])
    return word + "?" if unsure else word


def format_table(rows):
    head = ("case", "impl", "median", "spread (IQR)", "ratio to floor", "target", "result",
            "note")
    lines = []
    last_case = None
    for r in rows:
        case = r["case"] if r["case"] != last_case else ""
        last_case = r["case"]
        if "skipped" in r:
            lines.append((case, r["impl"], "skipped", "", "", "", "", r["skipped"]))
            continue
        med = f"{_fmt(r['median'])} {r['unit']}"
        spread = f"{_fmt(r['q1'])}–{_fmt(r['q3'])}" if "q1" in r else ""
        ratio = "" if r.get("ratio") is None else f"{r['ratio']:.2f}×"
        if "ratio_q1" in r:
            ratio += f" ({r['ratio_q1']:.2f}–{r['ratio_q3']:.2f})"
        t = r.get("target")
        target = "" if t is None else (f"≤ {t:g}×" if isinstance(t, float) else str(t))
        result = verdict(r)
        lines.append((case, r["impl"], med, spread, ratio, target, result, r.get("note", "")))
    widths = [max(len(h), *(len(l[k]) for l in lines)) for k, h in enumerate(head)]
    out = [" | ".join(h.ljust(w) for h, w in zip(head, widths)).rstrip(),
           "-+-".join("-" * w for w in widths)]
    for l in lines:
        out.append(" | ".join(c.ljust(w) for c, w in zip(l, widths)).rstrip())
    return "\n".join(out)


def format_markdown(rows):
    out = ["| case | impl | median | spread (IQR) | ratio to floor | target | result | note |",
           "|---|---|---|---|---|---|---|---|"]
    last_case = None
    for r in rows:
        case = r["case"] if r["case"] != last_case else ""
        last_case = r["case"]
        if "skipped" in r:
            out.append(f"| {case} | {r['impl']} | skipped: {r['skipped']} | | | | | |")
            continue
        spread = f"{_fmt(r['q1'])}–{_fmt(r['q3'])}" if "q1" in r else ""
        ratio = "" if r.get("ratio") is None else f"{r['ratio']:.2f}×"
        t = r.get("target")
        target = "" if t is None else (f"≤ {t:g}×" if isinstance(t, float) else str(t))
        result = verdict(r)
        out.append(f"| {case} | {r['impl']} | {_fmt(r['median'])} {r['unit']} | "
                   f"{spread} | {ratio} | {target} | {result} | {r.get('note', '')} |")
    return "\n".join(out)


def format_comparison(old_rows, new_rows):
    """Each ratio of this run beside the same row's ratio in an earlier run."""
    old = {(r["case"], r["impl"]): r for r in old_rows if r.get("ratio") is not None}
    lines = [f"{'case':66s} {'impl':20s} {'before':>8s} {'after':>8s} {'change':>8s}"]
    for r in new_rows:
        o = old.get((r["case"], r["impl"]))
        if r.get("ratio") is None or o is None or r["impl"] == "numpy floor":
            continue
        change = r["ratio"] / o["ratio"] - 1
        lines.append(f"{r['case'][:66]:66s} {r['impl']:20s} {o['ratio']:7.2f}× "
                     f"{r['ratio']:7.2f}× {change:+7.1%}")
    return "\n".join(lines)
