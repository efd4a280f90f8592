"""How the stream codec (``streamcodec``, layout ``CLS3``) turns a stream's floats into
integers, exactly, and those into planes of bytes.

A channel is *scaled* when its floats are integers times a step: ``k / div`` with ``div`` a
power of ten (whole seconds, bpm; centimetres, millimetres per second, decimetres; a GPX
file's decimals of a degree), or ``k * mul`` with FIT's semicircle (180 / 2^31 of a degree).
The step is the first that fits a sample of the channel (a few runs of consecutive
samples); then every sample is checked bit for bit: the integers must give back the very
float the store keeps (float64, or float32 for the narrow channels). The few that do not (a
NaN, an inf, a -0.0) are kept aside as their floats; a channel with many is kept as *bits*,
the bit patterns of its floats read as integers, as is a channel without a step.

The integers are then the differences from the previous sample, in the fewest bytes (1, 2,
4 or 8) that hold them all, byte-shuffled: all first bytes, then all second bytes, and so
on. Where the differences spread widely (GPS noise in the last digits of a position), their
low bytes are noise, and the codec stores those planes without compressing them.

All channels of a stream are worked on at once, as the rows of one array: a stream has a
few thousand samples, and numpy's cost per call would otherwise outweigh its work.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

    from cramplog.model import Stream

# The steps a scaled channel may have, tried in this order (the first that fits wins):
# powers of ten as divisors, then FIT's semicircle as a multiplier. A float32 has seven
# significant digits: its channels try the first seven divisors only.
DIVISORS = tuple(10.0**d for d in range(16))
NARROW_DIVISORS = 7
SEMICIRCLE = 180.0 / 2**31
# From this divisor on, and with the semicircle, a float32's bit patterns may differ by
# fewer bytes than its integers (a float32 of kilometres has no fifth decimal, and fits
# the semicircle's 8e-8 whatever it is), so the two are compared.
FINE = 10_000.0
# A scaled channel keeps at most one sample in this many aside; more, and it is kept as bits.
MAX_ASIDE = 32
# The step is chosen on this many runs of this many consecutive samples.
RUNS = 4
WINDOW = 16
# Byte j of a channel's differences is noise, stored without compressing, when the
# differences in the sampled runs spread (standard deviation) by this many times 256^j:
# zlib would spend its time on it and not shrink it (measured on the benchmark corpora).
NOISE = 96.0
# Integers below this in size are exact in float64, and so are their differences.
EXACT = 2.0**53


class Channel:
    """One channel as integers: its header entry, the differences between neighbours (0 for
    the first sample, whose integer is in the header; None while they are the channel's row
    of the differences of all scaled channels), their range, and the samples kept aside."""

    __slots__ = ("aside", "diffs", "hi", "lo", "planes", "spec", "width")

    def __init__(self, spec: dict[str, Any], diffs: Any, lo: Any, hi: Any) -> None:
        self.spec = spec
        self.diffs = diffs
        self.lo, self.hi = int(lo), int(hi)
        self.width = _width(self.lo, self.hi)
        self.aside = b""
        self.planes: list[Any] = []


def _width(lo: int, hi: int) -> int:
    """Bytes (1, 2, 4 or 8) of a signed integer that holds ``lo`` to ``hi``."""
    for w in (1, 2, 4):
        bound = 1 << (8 * w - 1)
        if -bound <= lo and hi < bound:
            return w
    return 8


def encode_channels(stream: Stream, wide: list[str], narrow: list[str]) -> list[Channel]:
    """The float64 channels (``wide``) and the float32 ones (``narrow``), in that order, each
    with its header entry (its way, ``w`` its bytes per difference, ``raw`` its planes of
    noise), its planes of bytes and its samples kept aside."""
    import numpy as np

    n = len(stream.t_s)
    c8, c = len(wide), len(wide) + len(narrow)
    floats = np.empty((c, n))  # the floats as stored, float32 ones widened
    f4 = np.empty((c - c8, n), dtype="<f4")
    # beyond float32 gives inf, as as_stored says; NaN, inf and huge floats give NaN or
    # wrong integers in the scaled form, which its check then puts aside
    with np.errstate(all="ignore"):
        for i, name in enumerate(wide):
            floats[i] = getattr(stream, name)
        for i, name in enumerate(narrow):
            f4[i] = getattr(stream, name)
        floats[c8:] = f4
        if n == 0:
            return [_empty() for _ in range(c)]
        sample = floats.take(_sample_index(n), axis=1)  # channel, run, sample
        steps, chosen = _choose_steps(sample, c8)
        diffs, channels = _scaled(floats, f4, steps)
        for i, ch in enumerate(channels):
            if ch is None:
                channels[i] = _as_bits(floats[i] if i < c8 else f4[i - c8])
                chosen[i] = _bits_of(sample[i : i + 1], 1 if i < c8 else 0)[0]
        done = [ch for ch in channels if ch is not None]
        # a plane may be noise only where the differences spread (std <= range / 2)
        wild = [i for i, ch in enumerate(done) if ch.hi - ch.lo >= 2 * NOISE]
        spreads = dict(zip(wild, _spread(chosen[wild]), strict=True)) if wild else {}
    _set_planes(diffs, done)
    for i, ch in enumerate(done):
        ch.spec["w"] = ch.width
        raw = [j for j in range(ch.width) if spreads.get(i, 0.0) >= NOISE * 256.0**j]
        if raw:
            ch.spec["raw"] = raw
    return done


def _empty() -> Channel:
    ch = Channel({"w": 1}, None, 0, 0)
    ch.planes = [b""]
    return ch


def from_ints(ints: np.ndarray, mul: Any, div: Any) -> np.ndarray:
    """The float64 values that scaled integers stand for: ``k * mul / div`` (a float32
    channel then rounds them to float32). ``mul`` and ``div`` are numbers, or lists with one
    a row; a step of 1 is skipped (it is an exact no-op). The decoder uses this too, so the
    check when encoding and the decoding do the same arithmetic."""
    import numpy as np

    v = ints + 0.0  # float64, a copy; +0.0 turns a -0.0 into 0.0, as from an int64
    for step, op in ((mul, np.multiply), (div, np.divide)):
        if isinstance(step, list):
            if any(s != 1.0 for s in step):
                op(v, np.array(step)[:, None], out=v)
        elif step != 1.0:
            op(v, step, out=v)
    return v


def _choose_steps(sample: np.ndarray, c8: int) -> tuple[list[tuple[float, float] | None], Any]:
    """Each channel's step as (mul, div): the first one that gives back every finite float
    of the sample (channel, run, sample; the rows from ``c8`` on are float32 channels,
    widened); None for a channel to keep as bits. With them, the sample's integers."""
    import numpy as np

    c = len(sample)
    ok = np.isfinite(sample)
    factor = _factors()
    ints = np.rint(sample * factor)  # every step at once
    back = ints / factor
    back[-1] = ints[-1] * SEMICIRCLE
    back[:, c8:] = back[:, c8:].astype("<f4")  # what float32 channels would keep
    # a guess only (the encoding checks every bit), and no integer a float64 cannot hold:
    # at the finest steps every float64 fits, as the nearest to a too big integer
    fits = ((back == sample) & (np.abs(ints) < EXACT)) | ~ok
    found = fits.reshape(len(factor), c, -1).all(axis=2) & ok.reshape(c, -1).any(axis=1)
    found[NARROW_DIVISORS : len(DIVISORS), c8:] = False
    first = found.argmax(axis=0)
    chosen = ints[first, np.arange(c)]
    hit: list[bool] = found[first, np.arange(c)].tolist()
    steps: list[tuple[float, float] | None] = [
        ((1.0, DIVISORS[k]) if k < len(DIVISORS) else (SEMICIRCLE, 1.0)) if hit[i] else None
        for i, k in enumerate(first.tolist())
    ]
    # a float32 channel of such a step: the bits may differ less than the integers
    fine = [i for i in range(c8, c) if (step := steps[i]) and (step[1] >= FINE or step[0] != 1)]
    if fine:
        plain = _bits_of(sample[fine], 0)
        spreads = _spread(np.concatenate([chosen[fine], plain]))
        for r, i in enumerate(fine):
            if spreads[r] > spreads[len(fine) + r]:
                steps[i] = None
                chosen[i] = plain[r]
    return steps, chosen


@cache
def _factors() -> np.ndarray:
    """What each step multiplies a float by to give its integer, shaped to broadcast over
    (channel, run, sample); made once."""
    import numpy as np

    return np.array([*DIVISORS, 1.0 / SEMICIRCLE]).reshape(-1, 1, 1, 1)


def _scaled(
    floats: np.ndarray, f4: np.ndarray, steps: list[tuple[float, float] | None]
) -> tuple[Any, list[Channel | None]]:
    """The channels that have a step, as integers checked against the floats bit for bit:
    the differences of all (one row each, None when no channel has a step) and each
    channel, None for one without a step or with too many samples that do not fit."""
    import numpy as np

    c, n = floats.shape
    c8 = c - len(f4)
    out: list[Channel | None] = [None] * c
    if all(step is None for step in steps):
        return None, out
    muls = [step[0] if step else 1.0 for step in steps]
    divs = [step[1] if step else 1.0 for step in steps]
    factors = [d / m for m, d in zip(muls, divs, strict=True)]
    if all(f == 1.0 for f in factors):
        ints = np.rint(floats)
    else:
        ints = np.rint(floats * np.array(factors)[:, None])
    back = from_ints(ints, muls, divs)
    bad = np.empty((c, n), dtype=bool)
    np.not_equal(back[:c8].view("<i8"), floats[:c8].view("<i8"), out=bad[:c8])
    np.not_equal(back[c8:].astype("<f4").view("<i4"), f4.view("<i4"), out=bad[c8:])
    diffs = _diffs(ints)
    lows, highs = diffs.min(axis=1).tolist(), diffs.max(axis=1).tolist()
    firsts: list[float] = ints[:, 0].tolist()
    misfits: list[bool] = bad.any(axis=1).tolist()  # type: ignore[assignment]
    for i, any_bad in enumerate(misfits):
        if steps[i] is None:
            continue
        spec: dict[str, Any] = {"mul": muls[i]} if muls[i] != 1.0 else {"div": divs[i]}
        lo, hi = lows[i], highs[i]
        # every integer and difference is exact in float64 unless one may be too big (or
        # NaN: then lo or hi is NaN too, and the comparison is false)
        if not any_bad and abs(firsts[i]) + n * max(abs(lo), abs(hi)) < EXACT:
            spec["first"] = int(firsts[i])
            out[i] = Channel(spec, None, lo, hi)
            continue
        row = ints[i]
        misfit = bad[i] | ~(np.abs(row) < EXACT)
        n_bad = int(np.count_nonzero(misfit))
        if n_bad * MAX_ASIDE > n:
            continue
        where = np.flatnonzero(misfit)
        row = _fill_from_before(row, misfit)
        diff = _diffs(row[None])[0]
        ch = Channel(spec | {"first": int(row[0]), "aside": n_bad}, diff, diff.min(), diff.max())
        stored = floats[i] if i < c8 else f4[i - c8]
        ch.aside = where.astype("<u4").tobytes() + stored[where].tobytes()
        out[i] = ch
    return diffs, out


def _as_bits(stored: np.ndarray) -> Channel:
    """A channel as the bit patterns of its floats (``<f4`` or ``<f8``)."""
    import numpy as np

    ints = stored.view(f"<i{stored.dtype.itemsize}").astype(np.int64)
    diffs = _diffs(ints[None])[0]
    return Channel({"first": int(ints[0])}, diffs, diffs.min(), diffs.max())


def _set_planes(diffs: Any, channels: list[Channel]) -> None:
    """Each channel's planes of bytes; the rows of ``diffs`` of one width all at once."""
    by_width: dict[int, list[int]] = {}
    for i, ch in enumerate(channels):
        if ch.diffs is None:
            by_width.setdefault(ch.width, []).append(i)
        else:
            ch.planes = list(_shuffled(ch.diffs[None], ch.width)[0])
    for width, members in by_width.items():
        block = _shuffled(diffs if len(members) == len(diffs) else diffs[members], width)
        for r, i in enumerate(members):
            channels[i].planes = list(block[r])


def _shuffled(diffs: np.ndarray, width: int) -> np.ndarray:
    """Rows of integers as ``width``-byte integers, byte-shuffled: row, plane, sample."""
    import numpy as np

    rows, n = diffs.shape
    block = diffs.astype(f"<i{width}").view(np.uint8)
    if width == 1:
        return block.reshape(rows, 1, n)
    return np.ascontiguousarray(block.reshape(rows, n, width).transpose(0, 2, 1))


def _diffs(ints: np.ndarray) -> np.ndarray:
    """Each row's samples minus the one before; 0 for the first (it goes in the header)."""
    import numpy as np

    out = np.empty_like(ints)
    out[:, 0] = 0
    np.subtract(ints[:, 1:], ints[:, :-1], out=out[:, 1:])
    return out


def _fill_from_before(ints: np.ndarray, bad: np.ndarray) -> np.ndarray:
    """The integers with each sample kept aside replaced by the last good one before it
    (0 before the first good one), so the differences around a gap stay small."""
    import numpy as np

    pos = np.where(bad, 0, np.arange(ints.size))
    np.maximum.accumulate(pos, out=pos)
    filled = ints[pos]
    if bad[0]:
        filled[pos == 0] = 0
    return filled


def _bits_of(sample: np.ndarray, c8: int) -> np.ndarray:
    """The bit patterns of sampled floats as integers (rows from ``c8`` on as float32)."""
    import numpy as np

    out = np.empty(sample.shape)
    out[:c8] = sample[:c8].view("<i8")
    out[c8:] = sample[c8:].astype("<f4").view("<i4")
    return out


def _spread(runs: np.ndarray) -> list[float]:
    """Per channel (the first axis), the standard deviation of the differences between
    neighbours within each run (the last axis)."""
    import numpy as np

    d = (runs[..., 1:] - runs[..., :-1]).reshape(len(runs), -1)
    m = d.shape[1]
    if m == 0:
        return [0.0] * len(runs)
    mean = np.add.reduce(d, axis=1) / m
    var = np.einsum("ij,ij->i", d, d) / m - mean * mean
    return [float(x) for x in np.sqrt(np.maximum(var, 0.0))]


def _sample_index(n: int) -> np.ndarray:
    """Positions of a few runs of consecutive samples, one run a row, spread evenly from
    the start to the end (all of a short channel in one row)."""
    import numpy as np

    if n <= RUNS * WINDOW:
        return np.arange(n).reshape(1, n)
    starts = [(n - WINDOW) * r // (RUNS - 1) for r in range(RUNS)]
    return np.array(starts)[:, None] + np.arange(WINDOW)
