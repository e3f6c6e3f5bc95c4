//! What the client benchmarks share: the fixed `DescribePipelineExecution` response and a keep-alive HTTP/1.1 server
//! on 127.0.0.1 that answers every request with it.

use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The execution ARN every benchmark call asks for.
pub const ARN: &str = "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/abc123";

/// The body of the fixed `DescribePipelineExecution` response.
pub fn response_body() -> String {
    serde_json::json!({
        "PipelineArn": "arn:aws:sagemaker:us-east-1:123456789012:pipeline/p",
        "PipelineExecutionArn": ARN,
        "PipelineExecutionDisplayName": "nightly",
        "PipelineExecutionStatus": "Executing",
        "CreationTime": 1700000000.123,
        "LastModifiedTime": 1700000100,
        "PipelineVersionId": 3
    })
    .to_string()
}

/// Answers every request on every connection with `body`, keeping connections alive; the answers to requests that
/// arrived together go out in one write.
pub async fn serve(listener: tokio::net::TcpListener, body: String) {
    let reply: Arc<[u8]> = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/x-amz-json-1.1\r\nx-amzn-requestid: r-1\r\ncontent-length: \
         {}\r\n\r\n{}",
        body.len(),
        body
    )
    .into_bytes()
    .into();
    loop {
        let Ok((mut socket, _)) = listener.accept().await else { return };
        let _ = socket.set_nodelay(true);
        let reply = reply.clone();
        tokio::spawn(async move {
            let mut buf = vec![0u8; 64 * 1024];
            let mut filled = 0;
            loop {
                let Ok(n) = socket.read(&mut buf[filled..]).await else { return };
                if n == 0 {
                    return;
                }
                filled += n;
                let mut out = Vec::new();
                while let Some(end) = buf[..filled].windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                    let len: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    let total = end + 4 + len;
                    if filled < total {
                        break;
                    }
                    buf.copy_within(total..filled, 0);
                    filled -= total;
                    out.extend_from_slice(&reply);
                }
                if !out.is_empty() && socket.write_all(&out).await.is_err() {
                    return;
                }
            }
        });
    }
}
