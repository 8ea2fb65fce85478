"""(label, text) pairs kept as arrays: the texts as one UTF-8 buffer with offsets, the labels as
indices into a short tuple of distinct labels.

The index holds ~120,000 names (each with the label of where it came from: 税则, 检验检疫名称,
归类词典) and ~22,000 检验检疫名称 details, read only for the few codes a suggestion shows. As
Python tuples of strings they cost ~25 MB in every process holding the index; as arrays they are
a few MB that ``stored`` maps and the processes of a machine share. A pair is decoded when read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np


@dataclass
class PackedPairs:
    labels: tuple[str, ...]  # the distinct labels
    label_of: np.ndarray  # per pair: index into ``labels``
    blob: np.ndarray  # the texts, UTF-8, one after the other (uint8)
    offsets: np.ndarray  # per pair its start in ``blob``, and the end (len + 1)

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]]) -> PackedPairs:
        labels: dict[str, int] = {}
        label_of, chunks, offsets = [], [], [0]
        for label, text in pairs:
            label_of.append(labels.setdefault(label, len(labels)))
            chunk = text.encode()
            chunks.append(chunk)
            offsets.append(offsets[-1] + len(chunk))
        dtype = np.uint8 if len(labels) <= 256 else np.uint32
        return cls(tuple(labels), np.array(label_of, dtype=dtype),
                   np.frombuffer(b"".join(chunks), dtype=np.uint8).copy(), np.array(offsets, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.label_of)

    def __getitem__(self, i: int) -> tuple[str, str]:
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        i %= len(self)
        start, end = int(self.offsets[i]), int(self.offsets[i + 1])
        return self.labels[int(self.label_of[i])], self.blob[start:end].tobytes().decode()

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return (self[i] for i in range(len(self)))
