//! Properties of the wire format (`nrepl::frame`), over generated values: any
//! `Frame` encodes and decodes back to itself; `message_len` finds exactly
//! where a dictionary message ends, answers "not yet" on every prefix of one,
//! enforces its size limit exactly, and never panics, whatever the bytes.

use std::collections::BTreeMap;

use jank_wasm_nrepl::nrepl::frame::{
    Frame, FrameError, MAX_DEPTH, MAX_MESSAGE_BYTES, Scan, message_len,
};
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;

fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        vec(any::<u8>(), 0..max),
        // Text like clients send, non-ASCII included.
        ".{0,16}".prop_map(String::into_bytes),
        // Digits, colons and bencode's letters, to look like the grammar.
        vec(prop::sample::select(b"0123456789:deil-".to_vec()), 0..max),
    ]
}

/// Any bencode value, nested a few levels.
fn frame() -> impl Strategy<Value = Frame> {
    let leaf = prop_oneof![
        any::<i64>().prop_map(Frame::Int),
        prop_oneof![Just(0i64), Just(-1), Just(i64::MIN), Just(i64::MAX)].prop_map(Frame::Int),
        bytes(24).prop_map(Frame::Bytes),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Frame::List),
            btree_map(bytes(10), inner, 0..6).prop_map(Frame::Dict),
        ]
    })
}

/// A message: a dictionary at the top.
fn dict() -> impl Strategy<Value = Frame> {
    btree_map(bytes(10), frame(), 0..6).prop_map(Frame::Dict)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A scan resumed as the bytes arrive, in chunks of any sizes, finds the
    /// same length as a scan of the whole message.
    #[test]
    fn resumed_scans_agree_with_whole_scans(message in dict(), cuts in vec(1usize..64, 0..40)) {
        let bytes = message.encode();
        let mut scan = Scan::default();
        let mut available = 0;
        let mut found = None;
        for cut in cuts {
            available = (available + cut).min(bytes.len());
            found = scan.resume(&bytes[..available], MAX_MESSAGE_BYTES).unwrap();
            if available < bytes.len() {
                prop_assert_eq!(found, None);
            } else {
                break;
            }
        }
        if found.is_none() {
            found = scan.resume(&bytes, MAX_MESSAGE_BYTES).unwrap();
        }
        prop_assert_eq!(found, Some(bytes.len()));
    }

    #[test]
    fn any_frame_round_trips(frame in frame()) {
        let encoded = frame.encode();
        prop_assert!(!encoded.is_empty());
        prop_assert_eq!(Frame::decode(&encoded), Ok(frame));
    }

    #[test]
    fn message_len_measures_whole_messages_and_waits_on_prefixes(message in dict()) {
        let encoded = message.encode();
        prop_assert_eq!(message_len(&encoded, MAX_MESSAGE_BYTES), Ok(Some(encoded.len())));
        for cut in 0..encoded.len() {
            prop_assert_eq!(
                message_len(&encoded[..cut], MAX_MESSAGE_BYTES),
                Ok(None),
                "prefix of {} bytes", cut
            );
        }
    }

    #[test]
    fn message_len_finds_the_first_of_messages_sent_back_to_back(
        first in dict(),
        second in dict(),
    ) {
        let one = first.encode();
        let mut wire = one.clone();
        wire.extend_from_slice(&second.encode());
        prop_assert_eq!(message_len(&wire, MAX_MESSAGE_BYTES), Ok(Some(one.len())));
        prop_assert_eq!(Frame::decode(&wire[..one.len()]), Ok(first));
        let rest = &wire[one.len()..];
        prop_assert_eq!(message_len(rest, MAX_MESSAGE_BYTES), Ok(Some(rest.len())));
        prop_assert_eq!(Frame::decode(rest), Ok(second));
    }

    #[test]
    fn the_size_limit_is_exact(message in dict(), slack in 0usize..4) {
        let encoded = message.encode();
        let len = encoded.len();
        prop_assert_eq!(message_len(&encoded, len + slack), Ok(Some(len)));
        if len > slack {
            let limit = len - 1 - slack;
            prop_assert_eq!(
                message_len(&encoded, limit),
                Err(FrameError::TooLarge { limit })
            );
            // A prefix is "not yet" or already too large, never accepted.
            for cut in 0..len {
                let got = message_len(&encoded[..cut], limit);
                prop_assert!(
                    matches!(got, Ok(None) | Err(FrameError::TooLarge { .. })),
                    "prefix {} under limit {}: {:?}", cut, limit, got
                );
            }
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_agree(
        wire in bytes(64),
        limit in prop_oneof![Just(MAX_MESSAGE_BYTES), Just(usize::MAX), any::<usize>(), 0usize..64],
    ) {
        let _ = Frame::decode(&wire);
        let measured = message_len(&wire, limit);
        if let Ok(Some(len)) = measured {
            prop_assert!(len <= wire.len() && len <= limit);
            // What the scanner delimits is a dictionary, if it decodes at all.
            if let Ok(frame) = Frame::decode(&wire[..len]) {
                prop_assert!(matches!(frame, Frame::Dict(_)));
                prop_assert_eq!(frame.encode().len() <= len, true);
            }
        }
    }

    #[test]
    fn mangled_messages_never_panic(
        message in dict(),
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let mut wire = message.encode();
        let i = at.index(wire.len());
        wire[i] = byte;
        if let Ok(Some(len)) = message_len(&wire, MAX_MESSAGE_BYTES) {
            let _ = Frame::decode(&wire[..len]);
        }
        wire.remove(i);
        if let Ok(Some(len)) = message_len(&wire, MAX_MESSAGE_BYTES) {
            let _ = Frame::decode(&wire[..len]);
        }
    }
}

/// Lists nested `levels` deep inside a one-key dictionary.
fn nested(levels: usize) -> Frame {
    let mut inner = Frame::Int(1);
    for _ in 0..levels {
        inner = Frame::List(vec![inner]);
    }
    Frame::Dict(BTreeMap::from([(b"k".to_vec(), inner)]))
}

#[test]
fn nesting_up_to_the_limit_is_measured_and_decoded_and_deeper_is_refused() {
    // The dictionary is one level; `MAX_DEPTH - 1` lists make `MAX_DEPTH`.
    let deepest = nested(MAX_DEPTH - 1);
    let encoded = deepest.encode();
    assert_eq!(
        message_len(&encoded, MAX_MESSAGE_BYTES),
        Ok(Some(encoded.len()))
    );
    assert_eq!(Frame::decode(&encoded), Ok(deepest));

    let too_deep = nested(MAX_DEPTH).encode();
    assert_eq!(
        message_len(&too_deep, MAX_MESSAGE_BYTES),
        Err(FrameError::TooDeep(MAX_DEPTH))
    );
    // Far deeper input is refused without recursing through it.
    let mut absurd = b"d1:k".to_vec();
    absurd.extend(std::iter::repeat_n(b'l', 1_000_000));
    assert_eq!(
        message_len(&absurd, MAX_MESSAGE_BYTES),
        Err(FrameError::TooDeep(MAX_DEPTH))
    );
    assert!(Frame::decode(&absurd).is_err());
}

#[test]
fn lengths_near_usize_max_are_refused_not_overflowed() {
    for wire in [
        format!("d1:k{}:", usize::MAX),
        format!("d1:k{}:x", usize::MAX - 1),
        format!("d1:k{}:", u128::from(u64::MAX) + 1),
    ] {
        for limit in [usize::MAX, usize::MAX - 1, MAX_MESSAGE_BYTES] {
            assert!(
                matches!(
                    message_len(wire.as_bytes(), limit),
                    Err(FrameError::TooLarge { .. })
                ),
                "{wire} under limit {limit}"
            );
        }
        assert!(Frame::decode(wire.as_bytes()).is_err());
    }
}
