"""Small metric helpers shared by the coach's benchmark scripts (no dependencies)."""

from __future__ import annotations


def binary(gold: list[bool], pred: list[bool]) -> tuple[float, float]:
    """(F1, precision) of the positive class."""
    tp = sum(g and p for g, p in zip(gold, pred))
    fp = sum(p and not g for g, p in zip(gold, pred))
    fn = sum(g and not p for g, p in zip(gold, pred))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return (2 * prec * rec / (prec + rec) if prec + rec else 0.0), prec


def macro_f1(gold: list, pred: list, labels) -> float:
    return sum(binary([g == lab for g in gold], [p == lab for p in pred])[0] for lab in labels) / len(labels)


def fmt(x) -> str:
    return "   -  " if x is None else f"{x:6.3f}"


def print_rows(rows) -> None:
    """rows: (figure, coach F1, precision as displayed, share displayed, baseline F1, baseline precision, rule)."""
    print(f"{'figure':<40}{'coach':>7}{'P shown':>8}{'shown':>7}{'base':>7}{'base P':>7}  baseline rule")
    for name, f, p, cov, bf, bp, rule in rows:
        mark = " " if bf is None or f > bf else "!"
        print(f"{name:<40}{fmt(f)} {fmt(p)} {fmt(cov)} {fmt(bf)} {fmt(bp)}{mark} {rule}")
