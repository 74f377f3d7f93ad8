//! The hash of the action index: `service:Action` text, ASCII case folded. build.rs and the
//! look-ups share this one definition (build.rs includes this file), so they cannot disagree.

/// FxHash's multiply-rotate step over the ASCII-lowercased text, eight bytes at a time (the
/// last word padded with zero bytes), then the length. Every action name a policy holds is
/// hashed once per thread: a step per word rather than per byte.
pub fn name_hash(text: &str) -> u64 {
    let step =
        |h: u64, word: u64| (h.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    let bytes = text.as_bytes();
    let mut words = bytes.chunks_exact(8);
    let mut h = 0;
    for chunk in &mut words {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = step(h, lowercase(u64::from_le_bytes(word)));
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut word = [0u8; 8];
        word[..rest.len()].copy_from_slice(rest);
        h = step(h, lowercase(u64::from_le_bytes(word)));
    }
    step(h, bytes.len() as u64)
}

/// `w` with each of its bytes in `A..=Z` lowercased (the `0x20` bit set), eight at once.
/// Per byte, the high bit of the 7-bit sums says: at least `A`, and above `Z` (sums of 7-bit
/// values and at most 0x80 never carry into the next byte); bytes from 0x80 are left alone.
fn lowercase(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    let low7 = w & !HIGH;
    let from_a = low7 + ONES * u64::from(0x80 - b'A');
    let past_z = low7 + ONES * u64::from(0x80 - b'Z' - 1);
    let upper = from_a & !past_z & !w & HIGH;
    w | (upper >> 2)
}

/// How many top bits of a hash pick its first slot of `ACTION_SLOTS`: about 22,000 actions in
/// 32,768 slots, so a look-up reads the slot and, a third of the time, the next one or two,
/// on the same cache line nearly always. (Buckets pointing into a table of rows cost a
/// cache miss more; a binary search of all the rows read fifteen places far apart.)
pub const SLOT_BITS: u32 = 15;

/// The first slot to try for a hash. The hash ends with a multiplication, so its top bits
/// are its best mixed.
pub fn slot(hash: u64) -> usize {
    (hash >> (64 - SLOT_BITS)) as usize
}

/// The slot after `slot`, wrapping around (linear probing).
pub fn next_slot(slot: usize) -> usize {
    (slot + 1) & ((1 << SLOT_BITS) - 1)
}

/// What a slot keeps of a hash to tell actions apart before comparing names: its low half,
/// independent of the top bits that chose the slot. Slots of 8 bytes rather than 16 keep the
/// table at 256 KiB, half as many cache lines for look-ups that miss the caches anyway.
pub fn tag(hash: u64) -> u32 {
    hash as u32
}

/// The action index of a slot that holds no action.
pub const EMPTY: u16 = u16::MAX;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_ignores_ascii_case_and_only_ascii_case() {
        let names = [
            "s3:GetObject",
            "sagemaker:CreatePresignedDomainUrl",
            "a",
            "",
            "é:Ünï",
        ];
        for name in names {
            assert_eq!(
                name_hash(name),
                name_hash(&name.to_ascii_lowercase()),
                "{name}"
            );
            assert_eq!(
                name_hash(name),
                name_hash(&name.to_ascii_uppercase()),
                "{name}"
            );
        }
        assert_ne!(name_hash("s3:GetObject"), name_hash("s3:GetObjects"));
        assert_ne!(name_hash("ab"), name_hash("ab\0"));
        assert_ne!(name_hash("é"), name_hash("É"));
    }

    #[test]
    fn lowercase_changes_exactly_the_capitals_in_every_position() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut word = [b'x'; 8];
                word[at] = b;
                let mut expected = word;
                expected[at] = b.to_ascii_lowercase();
                assert_eq!(
                    lowercase(u64::from_le_bytes(word)),
                    u64::from_le_bytes(expected)
                );
            }
        }
    }
}
