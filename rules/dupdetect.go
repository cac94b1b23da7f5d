package rules

// dupDetector finds repeated keys in a stream of millions of lines with
// little memory and few cache misses: every key's 64-bit hash and line go to
// an append-only list; a blocked Bloom filter (about 8 bits per key, three
// bits in one word, so one memory access per line) flags the few lines whose key may have been seen before; those
// candidates keep what a finding needs, and are confirmed against the list
// once at the end. Only the first dupKeep candidates keep their data, so a
// file of a million repeats does not keep a million findings' worth: the
// later ones are reported without it (the engine keeps only the first few
// of a rule per file anyway).
type dupDetector[T any] struct {
	pairs      []hashLine
	bloom      []uint64
	candidates []dupCandidate
	data       []T // of the first dupKeep candidates
}

type hashLine struct {
	h    uint64
	line int32
}

// dupCandidate is a line whose key may be a repeat; data is its index in
// dupDetector.data, -1 when not kept.
type dupCandidate struct {
	h    uint64
	line int32
	data int32
}

// dupKeep is the number of candidates that keep their data.
const dupKeep = 1 << 16

// newDupDetector sizes the filter for about hint keys.
func newDupDetector[T any](hint int) *dupDetector[T] {
	d := &dupDetector[T]{pairs: make([]hashLine, 0, hint)}
	d.resize(max(hint, 4096))
	return d
}

// resize rebuilds the filter for capacity keys from the list.
func (d *dupDetector[T]) resize(capacity int) {
	words := 1
	for words*64 < capacity*8 {
		words *= 2
	}
	d.bloom = make([]uint64, words)
	for _, p := range d.pairs {
		d.mayHave(p.h, true)
	}
}

// mayHave tests the filter for h and, when add is set, adds it. The word
// comes from the low bits of h, the three bit positions from the high bits.
func (d *dupDetector[T]) mayHave(h uint64, add bool) bool {
	w := h & uint64(len(d.bloom)-1)
	bits := uint64(1)<<(h>>58) | uint64(1)<<(h>>52&63) | uint64(1)<<(h>>46&63)
	word := d.bloom[w]
	if add {
		d.bloom[w] = word | bits
	}
	return word&bits == bits
}

// add records key hash h on line. When h may be a repeat and the line is
// among the first dupKeep candidates, it returns the slot for the line's
// data, which the caller fills at once (nil otherwise: a line that is no
// candidate costs no data, and no closure allocated per line to make it).
func (d *dupDetector[T]) add(h uint64, line int) *T {
	if len(d.pairs)*8 > len(d.bloom)*64 {
		d.resize(len(d.pairs) * 2)
	}
	d.pairs = append(grow(d.pairs), hashLine{h: h, line: int32(line)})
	if !d.mayHave(h, true) {
		return nil
	}
	c := dupCandidate{h: h, line: int32(line), data: -1}
	var slot *T
	if len(d.data) < dupKeep {
		c.data = int32(len(d.data))
		var zero T
		d.data = append(d.data, zero)
		slot = &d.data[len(d.data)-1]
	}
	d.candidates = append(grow(d.candidates), c)
	return slot
}

// grow doubles a full slice's capacity. append grows a large slice by a
// quarter, so a list of a million entries is copied some 30 times, each
// old array left for the collector (off up to its limit: a file of 1.5
// million duplicate users held 180 MB of them); doubling leaves less than
// the final array.
func grow[E any](s []E) []E {
	if len(s) < cap(s) {
		return s
	}
	n := make([]E, len(s), max(2*cap(s), 1024))
	copy(n, s)
	return n
}

// each calls fn for every confirmed repeat with the first line of its key,
// in line order; ok is false when its data was not kept (past dupKeep
// candidates).
func (d *dupDetector[T]) each(fn func(first, line int, data T, ok bool)) {
	if len(d.candidates) == 0 {
		return
	}
	first := map[uint64]int32{} // one entry per repeated key, however many repeats
	for _, c := range d.candidates {
		first[c.h] = c.line
	}
	for _, p := range d.pairs {
		if f, ok := first[p.h]; ok && p.line < f {
			first[p.h] = p.line
		}
	}
	var zero T
	for _, c := range d.candidates {
		if f := first[c.h]; f < c.line {
			if c.data >= 0 {
				fn(int(f), int(c.line), d.data[c.data], true)
			} else {
				fn(int(f), int(c.line), zero, false)
			}
		}
	}
}
