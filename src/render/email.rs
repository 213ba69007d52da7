//! The e-mail digest as one MIME message (RFC 5322 and 2045–2047): a `multipart/alternative`
//! of the plain text and a `multipart/related` HTML part that carries its charts as PNG parts,
//! which the HTML refers to by `cid:`. Ready for `sendmail -t` or to open in a mail client (see
//! docs/commands.md, `smarketing digest`).
//!
//! The same content and date give the same bytes: the boundaries and the Message-ID are derived
//! from a hash of the parts, never from the clock or chance. Lines end in CRLF and none is
//! longer than 78 characters: bodies are quoted-printable (text, HTML) or base64 (images), and
//! a subject that is not plain ASCII is an encoded word (RFC 2047).

use base64::Engine as _;
use jiff::civil::Date;

/// Who the message is from and to, its subject and date.
pub struct Envelope<'a> {
    /// The `From:` mailbox, ASCII (`Reports <reports@example.com>`).
    pub from: &'a str,
    /// The `To:` mailboxes, ASCII; none gives `To: undisclosed-recipients:;`.
    pub to: &'a [String],
    /// The subject, any text.
    pub subject: &'a str,
    /// The `Date:` (midnight UTC of that day).
    pub date: Date,
}

/// An image part of the HTML: a chart.
pub struct Image {
    /// Its Content-ID, without the angle brackets (the HTML says `cid:` + this).
    pub cid: String,
    /// Its file name, for a client that offers to save it.
    pub file: String,
    /// The PNG bytes.
    pub png: Vec<u8>,
}

/// The whole message, CRLF line ends throughout.
pub fn message(env: &Envelope, text: &str, html: &str, images: &[Image]) -> String {
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    for part in [env.from.as_bytes(), env.subject.as_bytes(), text.as_bytes(), html.as_bytes()] {
        h.feed(part);
    }
    for i in images {
        h.feed(i.cid.as_bytes());
        h.feed(&i.png);
    }
    for t in env.to {
        h.feed(t.as_bytes());
    }
    h.feed(env.date.to_string().as_bytes());
    let hash = format!("{:016x}", h.0);
    // "=_" can never occur in a quoted-printable or base64 body, so no body line can be taken
    // for a boundary.
    let alt = format!("=_smarketing_alt_{hash}");
    let rel = format!("=_smarketing_rel_{hash}");
    let mut m = String::new();
    header(&mut m, "From", env.from);
    let to = if env.to.is_empty() { "undisclosed-recipients:;".to_string() } else { env.to.join(",\r\n ") };
    header(&mut m, "To", &to);
    header(&mut m, "Subject", &encode_word(env.subject));
    header(&mut m, "Date", &rfc5322_date(env.date));
    header(&mut m, "Message-ID", &format!("<digest.{hash}@smarketing.digest>"));
    header(&mut m, "MIME-Version", "1.0");
    header(&mut m, "Content-Type", &format!("multipart/alternative;\r\n boundary=\"{alt}\""));
    m.push_str("\r\nThis is a MIME message: the digest as text, and as HTML with charts.\r\n");
    m.push_str(&format!("\r\n--{alt}\r\n"));
    header(&mut m, "Content-Type", "text/plain; charset=utf-8");
    header(&mut m, "Content-Transfer-Encoding", "quoted-printable");
    m.push_str("\r\n");
    m.push_str(&quoted_printable(text));
    m.push_str(&format!("\r\n--{alt}\r\n"));
    header(&mut m, "Content-Type", &format!("multipart/related; type=\"text/html\";\r\n boundary=\"{rel}\""));
    m.push_str(&format!("\r\n--{rel}\r\n"));
    header(&mut m, "Content-Type", "text/html; charset=utf-8");
    header(&mut m, "Content-Transfer-Encoding", "quoted-printable");
    m.push_str("\r\n");
    m.push_str(&quoted_printable(html));
    for i in images {
        m.push_str(&format!("\r\n--{rel}\r\n"));
        header(&mut m, "Content-Type", &format!("image/png; name=\"{}\"", i.file));
        header(&mut m, "Content-Transfer-Encoding", "base64");
        header(&mut m, "Content-ID", &format!("<{}>", i.cid));
        header(&mut m, "Content-Disposition", &format!("inline; filename=\"{}\"", i.file));
        m.push_str("\r\n");
        m.push_str(&base64_lines(&i.png));
    }
    m.push_str(&format!("\r\n--{rel}--\r\n"));
    m.push_str(&format!("\r\n--{alt}--\r\n"));
    m
}

/// FNV-1a, 64 bits: a stable hash (the same on every machine and version) for the boundaries
/// and the Message-ID; not for security.
struct Fnv(u64);

impl Fnv {
    fn feed(&mut self, bytes: &[u8]) {
        for b in bytes.iter().chain(&[0xff]) {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

fn header(m: &mut String, name: &str, value: &str) {
    m.push_str(name);
    m.push_str(": ");
    m.push_str(value);
    m.push_str("\r\n");
}

/// `Mon, 30 Nov 2026 00:00:00 +0000`.
fn rfc5322_date(d: Date) -> String {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let day = DAYS[usize::from(d.weekday().to_monday_zero_offset() as u8)];
    format!("{day}, {} {} {} 00:00:00 +0000", d.day(), MONTHS[(d.month() - 1) as usize], d.year())
}

/// A header value as written when it is printable ASCII, else as RFC 2047 encoded words
/// (`=?UTF-8?B?…?=`, each at most 75 characters, a whole character in each), folded one word
/// per line.
pub fn encode_word(value: &str) -> String {
    let plain = value.bytes().all(|b| (0x20..0x7f).contains(&b)) && !value.contains("=?");
    if plain && value.len() <= 900 {
        return value.to_string();
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in value.chars() {
        // 45 bytes become 60 base64 characters: with `=?UTF-8?B?` and `?=`, 72.
        if chunk.len() + c.len_utf8() > 45 {
            words.push(std::mem::take(&mut chunk));
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(chunk);
    }
    words
        .iter()
        .map(|w| format!("=?UTF-8?B?{}?=", base64::engine::general_purpose::STANDARD.encode(w.as_bytes())))
        .collect::<Vec<_>>()
        .join("\r\n ")
}

/// `text` (lines ending in LF or CRLF) as quoted-printable lines of at most 76 characters, CRLF
/// line ends: printable ASCII as is, everything else (UTF-8 bytes, `=`, a space or tab ending a
/// line) as `=XX`, long lines broken with a soft `=`. A line's leading `.` and a leading `From `
/// are encoded too, so neither SMTP nor an mbox file can take the line for something else.
pub fn quoted_printable(text: &str) -> String {
    let mut out = String::new();
    let text = text.strip_suffix('\n').unwrap_or(text);
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        let bytes = line.as_bytes();
        let mut col = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let last = i + 1 == bytes.len();
            let literal = match b {
                b'=' => false,
                b' ' | b'\t' => !last,
                b'.' | b'F' if i == 0 => false,
                33..=126 => true,
                _ => false,
            };
            let piece = if literal { (b as char).to_string() } else { format!("={b:02X}") };
            // Room for the piece and, unless it ends the line, a soft break after it.
            let room = if last { 76 } else { 75 };
            if col + piece.len() > room {
                out.push_str("=\r\n");
                col = 0;
            }
            out.push_str(&piece);
            col += piece.len();
        }
        out.push_str("\r\n");
    }
    out
}

/// `bytes` in base64, 76 characters a line, CRLF line ends.
fn base64_lines(bytes: &[u8]) -> String {
    let all = base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut out = String::with_capacity(all.len() + all.len() / 38 + 2);
    for chunk in all.as_bytes().chunks(76) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_printable_keeps_lines_short_and_encodes_what_it_must() {
        assert_eq!(quoted_printable("a = b\nend \n"), "a =3D b\r\nend=20\r\n");
        assert_eq!(quoted_printable("−5%\n"), "=E2=88=925%\r\n");
        assert_eq!(quoted_printable(".\nFrom here\n"), "=2E\r\n=46rom here\r\n");
        let long = "x".repeat(200);
        let qp = quoted_printable(&long);
        assert!(qp.split("\r\n").all(|l| l.len() <= 76), "{qp}");
        assert_eq!(qp.replace("=\r\n", ""), format!("{long}\r\n"));
        // An encoded byte is never split by a soft break: every `=` but a line's soft break
        // starts two hex digits.
        let qp = quoted_printable(&"é".repeat(40));
        for l in qp.split("\r\n") {
            let body = l.strip_suffix('=').unwrap_or(l).as_bytes();
            assert!(l.len() <= 76, "{l}");
            for (i, _) in body.iter().enumerate().filter(|(_, c)| **c == b'=') {
                assert!(body.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)), "{l}");
            }
        }
    }

    #[test]
    fn a_subject_that_is_not_ascii_is_encoded_words_of_whole_characters() {
        assert_eq!(encode_word("Acme report: October 2026"), "Acme report: October 2026");
        let s = encode_word("Société Générale — rapport d'octobre 2026, chiffres clés et objectifs");
        for w in s.split("\r\n ") {
            assert!(w.starts_with("=?UTF-8?B?") && w.ends_with("?=") && w.len() <= 75, "{w}");
        }
        assert_eq!(s.split("\r\n ").count(), 2, "{s}");
    }

    #[test]
    fn the_date_header_names_the_weekday() {
        assert_eq!(rfc5322_date(jiff::civil::date(2026, 11, 30)), "Mon, 30 Nov 2026 00:00:00 +0000");
    }
}
