//! The listening socket the server and the tests share.

use std::net::SocketAddr;

use axum::serve::{Listener, ListenerExt};

/// Binds `addr`. Every accepted connection sends each write at once
/// (`TCP_NODELAY`): a response leaves in more than one write (headers, then
/// a streamed body), and with Nagle's algorithm the second waits for the
/// client's delayed acknowledgement of the first, about 40 ms, on every
/// request of a kept-alive connection.
///
/// # Errors
/// When the address cannot be bound.
pub async fn bind(addr: SocketAddr) -> std::io::Result<impl Listener<Io = tokio::net::TcpStream, Addr = SocketAddr>> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    Ok(listener.tap_io(|tcp| {
        if let Err(err) = tcp.set_nodelay(true) {
            tracing::debug!(%err, "TCP_NODELAY could not be set on a connection");
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn accepted_connections_send_without_delay() {
        let mut listener = bind(SocketAddr::from(([127, 0, 0, 1], 0))).await.expect("binds");
        let addr = listener.local_addr().expect("has an address");
        let client = tokio::net::TcpStream::connect(addr).await.expect("connects");
        let (accepted, peer) = listener.accept().await;
        assert_eq!(peer, client.local_addr().expect("the client's address"));
        assert!(accepted.nodelay().expect("reads the option"), "TCP_NODELAY is set on the server's side");
    }
}
