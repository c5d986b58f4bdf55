//! Attachments: the size limit, the type judged from the bytes, safe names.

/// The largest attachment: 10 MiB.
pub const MAX_ATTACHMENT: usize = 10 * 1024 * 1024;

/// The content type of an attachment, judged from its bytes (never from
/// what the client says): JPEG, PNG, PDF, or UTF-8 text — CSV when the
/// name ends in `.csv`.
///
/// # Errors
/// A message naming the allowed types.
pub fn sniff(bytes: &[u8], name: &str) -> Result<&'static str, String> {
    const REFUSED: &str = "must be a photo (JPEG, PNG), a PDF or a text/CSV diagnostic file";
    if bytes.is_empty() {
        return Err("is empty".into());
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok("image/jpeg");
    }
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        return Ok("image/png");
    }
    if bytes.starts_with(b"%PDF-") {
        return Ok("application/pdf");
    }
    let text = std::str::from_utf8(bytes).map_err(|_| REFUSED.to_string())?;
    if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
        return Err(REFUSED.into());
    }
    Ok(if name.to_ascii_lowercase().ends_with(".csv") { "text/csv" } else { "text/plain" })
}

/// A file name safe to keep and to send back: no directories, no control
/// characters, at most 200 characters.
pub fn file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base.chars().filter(|c| !c.is_control() && *c != '"').take(200).collect();
    let clean = clean.trim().to_string();
    if clean.is_empty() { "attachment".into() } else { clean }
}
