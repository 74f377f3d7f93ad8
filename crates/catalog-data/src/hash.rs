//! The hash of the action index: `service:Action` text, ASCII case folded. build.rs and the
//! look-ups share this one definition (build.rs includes this file), so they cannot disagree.

/// FxHash's multiply-rotate step over the ASCII-lowercased bytes.
pub fn name_hash(text: &str) -> u64 {
    text.bytes().fold(0, |h: u64, b| {
        (h.rotate_left(5) ^ u64::from(b.to_ascii_lowercase()))
            .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
    })
}
