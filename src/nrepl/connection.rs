//! Framed nREPL I/O over one TCP connection: reading whole messages out of a
//! byte stream that splits and joins them arbitrarily, and writing each reply
//! in one buffer.

use bytes::{Buf, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::frame::{Frame, FrameError, MAX_MESSAGE_BYTES, Scan};

/// Why reading the next message failed. After any of these the connection is
/// closed: the stream's framing can no longer be trusted.
#[derive(Debug, thiserror::Error)]
pub enum ConnectionError {
    #[error(transparent)]
    Frame(#[from] FrameError),
    #[error("connection closed in the middle of a message")]
    TruncatedMessage,
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// The reading half: buffers bytes until a complete message is there.
pub struct MessageReader<R> {
    stream: R,
    buffer: BytesMut,
    limit: usize,
    /// How far the message at the front of `buffer` has been scanned.
    scan: Scan,
}

impl<R: AsyncRead + Unpin> MessageReader<R> {
    pub fn new(stream: R) -> Self {
        Self::with_limit(stream, MAX_MESSAGE_BYTES)
    }

    pub fn with_limit(stream: R, limit: usize) -> Self {
        MessageReader {
            stream,
            buffer: BytesMut::with_capacity(8 * 1024),
            limit,
            scan: Scan::default(),
        }
    }

    /// The next message, or `None` when the peer closed cleanly between messages.
    pub async fn read_message(&mut self) -> Result<Option<Frame>, ConnectionError> {
        loop {
            if let Some(len) = self.scan.resume(&self.buffer, self.limit)? {
                let frame = Frame::decode(&self.buffer[..len])?;
                self.buffer.advance(len);
                self.scan = Scan::default();
                return Ok(Some(frame));
            }
            if self.stream.read_buf(&mut self.buffer).await? == 0 {
                return if self.buffer.is_empty() {
                    Ok(None)
                } else {
                    Err(ConnectionError::TruncatedMessage)
                };
            }
        }
    }
}

/// Writes one message in a single write call (with TCP_NODELAY set on the
/// socket, a reply leaves at once instead of waiting on Nagle's algorithm).
pub async fn write_message<W: AsyncWrite + Unpin>(
    stream: &mut W,
    frame: &Frame,
) -> std::io::Result<()> {
    stream.write_all(&frame.encode()).await?;
    stream.flush().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn reads_messages_split_and_joined() {
        let one = b"d2:op5:clone2:id1:1e";
        let two = b"d2:op8:describe2:id1:2e";
        let mut wire = Vec::new();
        wire.extend_from_slice(one);
        wire.extend_from_slice(two);
        let (client, server) = tokio::io::duplex(3);
        let writer = tokio::spawn(async move {
            let mut client = client;
            for chunk in wire.chunks(3) {
                client.write_all(chunk).await.unwrap();
            }
        });
        let mut reader = MessageReader::new(server);
        let first = reader.read_message().await.unwrap().unwrap();
        let second = reader.read_message().await.unwrap().unwrap();
        writer.await.unwrap();
        assert_eq!(first, Frame::decode(one).unwrap());
        assert_eq!(second, Frame::decode(two).unwrap());
        assert!(reader.read_message().await.unwrap().is_none());
    }
}
