//! Gzip files of Huffman-coded bytes, without LZ77 matching, for the index's lists: varints
//! seldom repeat as strings but their bytes are far from uniform, so Huffman coding alone
//! packs them within a few percent of libdeflate's fastest level, in a fraction of its time.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// The end-of-block symbol, the one symbol besides the 256 byte values.
const END_OF_BLOCK: usize = 256;

/// Longest code deflate allows for bytes, and for the code of the code lengths.
const MAX_BITS: usize = 15;
const MAX_LENGTH_BITS: usize = 7;

/// The order in which the lengths of the code-length code are sent (RFC 1951, 3.2.7).
const LENGTH_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// `data` as a gzip file (RFC 1952) holding one dynamic-Huffman deflate block of literals.
pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut counts = vec![0usize; END_OF_BLOCK + 1];
    for &byte in data {
        counts[byte as usize] += 1;
    }
    counts[END_OF_BLOCK] = 1;
    let lengths = code_lengths(&counts, MAX_BITS);
    let codes = canonical_codes(&lengths);
    // The lengths sent: 257 for bytes and end of block, then two unused distance codes of
    // one bit (decoders expect a complete distance code even when no distance follows).
    let sent: Vec<u8> = lengths.iter().copied().chain([1, 1]).collect();
    let mut length_counts = vec![0usize; 19];
    for &length in &sent {
        length_counts[length as usize] += 1;
    }
    let length_lengths = code_lengths(&length_counts, MAX_LENGTH_BITS);
    let length_codes = canonical_codes(&length_lengths);
    let length_count = LENGTH_ORDER
        .iter()
        .rposition(|&s| length_lengths[s] > 0)
        .map_or(4, |last| (last + 1).max(4));

    let mut out = Bits::with_capacity(data.len() + 400);
    out.bytes
        .extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
    out.put(1, 1); // the last block
    out.put(2, 2); // with its own Huffman codes
    out.put(0, 5); // 257 byte and end codes
    out.put(1, 5); // 2 distance codes
    out.put(length_count as u32 - 4, 4);
    for &symbol in &LENGTH_ORDER[..length_count] {
        out.put(u32::from(length_lengths[symbol]), 3);
    }
    for &length in &sent {
        let (code, bits) = length_codes[length as usize];
        out.put(code, bits);
    }
    // Two bytes a time: two codes of at most 15 bits fit one write.
    let mut pairs = data.chunks_exact(2);
    for pair in &mut pairs {
        let (first, first_bits) = codes[pair[0] as usize];
        let (second, second_bits) = codes[pair[1] as usize];
        out.put(first | second << first_bits, first_bits + second_bits);
    }
    for &byte in pairs.remainder() {
        let (code, bits) = codes[byte as usize];
        out.put(code, bits);
    }
    let (code, bits) = codes[END_OF_BLOCK];
    out.put(code, bits);
    let mut bytes = out.finish();
    let mut crc = libdeflater::Crc::new();
    crc.update(data);
    bytes.extend_from_slice(&crc.sum().to_le_bytes());
    bytes.extend_from_slice(&(data.len() as u32).to_le_bytes());
    bytes
}

/// Code lengths of at most `limit` bits for symbols seen `counts` times (zero for unseen
/// symbols): Huffman's, with codes longer than the limit shortened as miniz does.
fn code_lengths(counts: &[usize], limit: usize) -> Vec<u8> {
    let used: Vec<usize> = (0..counts.len()).filter(|&s| counts[s] > 0).collect();
    let mut lengths = vec![0u8; counts.len()];
    if used.len() < 2 {
        // One symbol still gets a complete code: itself and a neighbour, one bit each.
        for symbol in used {
            lengths[symbol] = 1;
            lengths[if symbol == 0 { 1 } else { 0 }] = 1;
        }
        return lengths;
    }
    let depths = huffman_depths(&used.iter().map(|&s| counts[s]).collect::<Vec<_>>());
    let mut per_length = vec![0usize; limit + 1];
    for &depth in &depths {
        per_length[depth.min(limit)] += 1;
    }
    // Folding longer codes into the limit overfills the code; each step below takes one
    // code at the limit away and splits the longest shorter code in two.
    let mut kraft: usize = (1..=limit).map(|l| per_length[l] << (limit - l)).sum();
    while kraft > 1 << limit {
        per_length[limit] -= 1;
        if let Some(length) = (1..limit).rev().find(|&l| per_length[l] > 0) {
            per_length[length] -= 1;
            per_length[length + 1] += 2;
        }
        kraft -= 1;
    }
    // The most frequent symbols take the shortest codes.
    let mut order = used;
    order.sort_by_key(|&s| (Reverse(counts[s]), s));
    let mut symbols = order.into_iter();
    for (length, &count) in per_length.iter().enumerate().skip(1) {
        for symbol in symbols.by_ref().take(count) {
            lengths[symbol] = length as u8;
        }
    }
    lengths
}

/// The depth of each leaf in a Huffman tree built over `weights` (at least two).
fn huffman_depths(weights: &[usize]) -> Vec<usize> {
    let leaves = weights.len();
    // Leaves are nodes 0..leaves; every merge makes a node numbered above both children.
    let mut parent = vec![0usize; 2 * leaves - 1];
    let mut heap: BinaryHeap<Reverse<(usize, usize)>> =
        (0..leaves).map(|i| Reverse((weights[i], i))).collect();
    let mut next = leaves;
    while heap.len() > 1 {
        let (Some(Reverse((a_weight, a))), Some(Reverse((b_weight, b)))) = (heap.pop(), heap.pop())
        else {
            break;
        };
        parent[a] = next;
        parent[b] = next;
        heap.push(Reverse((a_weight + b_weight, next)));
        next += 1;
    }
    let root = 2 * leaves - 2;
    let mut depth = vec![0usize; 2 * leaves - 1];
    for node in (0..root).rev() {
        depth[node] = depth[parent[node]] + 1;
    }
    depth.truncate(leaves);
    depth
}

/// Canonical codes for `lengths` (RFC 1951, 3.2.2), bit-reversed since deflate sends codes
/// from their first bit while the writer fills bytes from the low bit.
fn canonical_codes(lengths: &[u8]) -> Vec<(u32, u32)> {
    let mut per_length = [0u32; MAX_BITS + 1];
    for &length in lengths.iter().filter(|&&l| l > 0) {
        per_length[length as usize] += 1;
    }
    let mut next = [0u32; MAX_BITS + 1];
    let mut code = 0;
    for bits in 1..=MAX_BITS {
        code = (code + per_length[bits - 1]) << 1;
        next[bits] = code;
    }
    lengths
        .iter()
        .map(|&length| match length {
            0 => (0, 0),
            _ => {
                let code = next[length as usize];
                next[length as usize] += 1;
                (code.reverse_bits() >> (32 - length), u32::from(length))
            }
        })
        .collect()
}

/// Bits written from the low bit of each byte up, as deflate wants.
struct Bits {
    bytes: Vec<u8>,
    pending: u64,
    count: u32,
}

impl Bits {
    fn with_capacity(bytes: usize) -> Bits {
        Bits {
            bytes: Vec::with_capacity(bytes),
            pending: 0,
            count: 0,
        }
    }

    /// Appends the low `count` bits of `bits` (at most 32).
    fn put(&mut self, bits: u32, count: u32) {
        self.pending |= u64::from(bits) << self.count;
        self.count += count;
        if self.count >= 32 {
            self.bytes
                .extend_from_slice(&(self.pending as u32).to_le_bytes());
            self.pending >>= 32;
            self.count -= 32;
        }
    }

    /// The bytes, the last one padded with zero bits.
    fn finish(mut self) -> Vec<u8> {
        let bytes = self.count.div_ceil(8) as usize;
        self.bytes
            .extend_from_slice(&self.pending.to_le_bytes()[..bytes]);
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unpack(packed: &[u8], size: usize) -> Vec<u8> {
        let mut out = vec![0; size];
        let unpacked = libdeflater::Decompressor::new()
            .gzip_decompress(packed, &mut out)
            .expect("a valid gzip file");
        out.truncate(unpacked);
        out
    }

    #[test]
    fn files_unpack_to_their_bytes() {
        let varints: Vec<u8> = (0u32..20_000)
            .flat_map(|i| {
                let mut out = Vec::new();
                super::super::postings::push_varint(&mut out, (i * 7919) % 3000);
                out
            })
            .collect();
        let every_byte: Vec<u8> = (0..=255).cycle().take(5000).collect();
        for data in [vec![], vec![7; 1000], vec![0, 1], every_byte, varints] {
            let packed = gzip(&data);
            assert_eq!(unpack(&packed, data.len()), data);
        }
    }

    #[test]
    fn skewed_bytes_keep_codes_within_fifteen_bits() {
        // Fibonacci counts make Huffman codes as long as the alphabet: the limit must hold.
        let mut data = Vec::new();
        let (mut a, mut b) = (1usize, 1usize);
        for byte in 0u8..25 {
            data.extend(std::iter::repeat_n(byte, a));
            (a, b) = (b, a + b);
        }
        let counts: Vec<usize> = (0..=255u8)
            .map(|byte| data.iter().filter(|&&b| b == byte).count())
            .chain([1])
            .collect();
        let lengths = code_lengths(&counts, MAX_BITS);
        assert!(lengths.iter().all(|&l| usize::from(l) <= MAX_BITS));
        let kraft: f64 = lengths
            .iter()
            .filter(|&&l| l > 0)
            .map(|&l| 0.5f64.powi(i32::from(l)))
            .sum();
        assert!((kraft - 1.0).abs() < 1e-9, "a complete code: {kraft}");
        assert_eq!(unpack(&gzip(&data), data.len()), data);
    }

    #[test]
    fn uneven_bytes_take_less_room() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i % 7 * i % 5) as u8).collect();
        assert!(gzip(&data).len() < data.len() / 2);
    }
}
