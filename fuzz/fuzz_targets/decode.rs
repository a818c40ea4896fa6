//! The nREPL decoder on arbitrary bytes: `message_len` (the stream scanner
//! that enforces the size and depth limits) and `Frame::decode` must never
//! panic, and must agree with each other and with `Frame::encode`.

#![no_main]

use jank_wasm_nrepl::nrepl::frame::{Frame, MAX_MESSAGE_BYTES, message_len};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = Frame::decode(data);
    // Small, exact and huge limits: the arithmetic must hold for all of them.
    for limit in [data.len(), data.len() / 2, usize::MAX] {
        if let Ok(Some(len)) = message_len(data, limit) {
            assert!(len <= data.len() && len <= limit);
        }
    }
    let Ok(Some(len)) = message_len(data, MAX_MESSAGE_BYTES) else {
        return;
    };
    assert!(len <= data.len());
    // A strict prefix of a delimited message is never complete, nor an error.
    assert_eq!(message_len(&data[..len - 1], MAX_MESSAGE_BYTES), Ok(None));
    assert_eq!(message_len(&data[..len / 2], MAX_MESSAGE_BYTES), Ok(None));
    // What decodes is a dictionary that re-encodes to a message of its own.
    if let Ok(frame) = Frame::decode(&data[..len]) {
        assert!(matches!(frame, Frame::Dict(_)));
        let encoded = frame.encode();
        assert_eq!(
            message_len(&encoded, MAX_MESSAGE_BYTES),
            Ok(Some(encoded.len()))
        );
        assert_eq!(Frame::decode(&encoded), Ok(frame));
    }
});
