//! `inet_in` and `cidr_in`: IPv4 as PostgreSQL's (BIND-derived)
//! `inet_net_pton` reads it, IPv6 in the standard notation, each with an
//! optional `/bits`.

use crate::catalog::error::{PgError, PgResult, code};

/// Checks an `inet` or `cidr` literal.
pub(super) fn check(text: &str, cidr: bool) -> PgResult<()> {
    let label = if cidr { "cidr" } else { "inet" };
    let invalid = || {
        PgError::new(
            code::INVALID_TEXT_REPRESENTATION,
            format!("invalid input syntax for type {label}: \"{text}\""),
        )
    };
    let (bytes, bits) = if text.contains(':') {
        ipv6(text).ok_or_else(invalid)?
    } else if cidr && text.starts_with("0x") {
        // A hexadecimal network number; its rules are not reproduced.
        return Ok(());
    } else if cidr {
        cidr_ipv4(text).ok_or_else(invalid)?
    } else {
        inet_ipv4(text).ok_or_else(invalid)?
    };
    if cidr {
        // `addressOK`: no bits set to the right of the mask.
        let bits = bits as usize;
        let clean = bytes.iter().enumerate().all(|(i, byte)| {
            let keep = bits.saturating_sub(i * 8).min(8);
            let mask = if keep == 8 { 0 } else { 0xffu8 >> keep };
            byte & mask == 0
        });
        if !clean {
            return Err(PgError::new(
                code::INVALID_TEXT_REPRESENTATION,
                format!("invalid cidr value: \"{text}\""),
            )
            .detail("Value has bits set to right of mask."));
        }
    }
    Ok(())
}

/// A decimal octet (0-255) starting at `i`; returns it and where it ends.
fn octet(b: &[u8], mut i: usize) -> Option<(u8, usize)> {
    let start = i;
    let mut v: u32 = 0;
    while i < b.len() && b[i].is_ascii_digit() {
        v = v * 10 + u32::from(b[i] - b'0');
        if v > 255 {
            return None;
        }
        i += 1;
    }
    (i > start).then_some((v as u8, i))
}

/// `/bits` at `i` running to the end of the input.
fn prefix_bits(b: &[u8], i: usize, max: u32) -> Option<u32> {
    let digits = &b[i..];
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) || digits.len() > 3 {
        return None;
    }
    let v: u32 = std::str::from_utf8(digits).ok()?.parse().ok()?;
    (v <= max).then_some(v)
}

/// `inet_net_pton_ipv4`: one to four octets; without `/bits` all four are
/// needed.
fn inet_ipv4(text: &str) -> Option<(Vec<u8>, u32)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        let (v, next) = octet(b, i)?;
        if out.len() == 4 {
            return None;
        }
        out.push(v);
        i = next;
        match b.get(i) {
            None | Some(b'/') => break,
            Some(b'.') => i += 1,
            _ => return None,
        }
    }
    let bits = match b.get(i) {
        Some(b'/') => prefix_bits(b, i + 1, 32)?,
        _ if out.len() == 4 => 32,
        _ => return None,
    };
    out.resize(4, 0);
    Some((out, bits))
}

/// `inet_cidr_pton_ipv4`: like `inet`, but without `/bits` the width
/// comes from the address class.
fn cidr_ipv4(text: &str) -> Option<(Vec<u8>, u32)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        let (v, next) = octet(b, i)?;
        if out.len() == 4 {
            return None;
        }
        out.push(v);
        i = next;
        match b.get(i) {
            None | Some(b'/') => break,
            Some(b'.') if b.get(i + 1).is_some_and(u8::is_ascii_digit) => i += 1,
            _ => return None,
        }
    }
    let bits = match b.get(i) {
        Some(b'/') => prefix_bits(b, i + 1, 32)?,
        _ => {
            let first = out[0];
            let mut bits = match first {
                240.. => 32,
                224.. => 8,
                192.. => 24,
                128.. => 16,
                _ => 8,
            };
            bits = bits.max(out.len() as u32 * 8);
            if bits == 8 && first == 224 {
                bits = 4;
            }
            bits
        }
    };
    out.resize(4, 0);
    Some((out, bits))
}

fn ipv6(text: &str) -> Option<(Vec<u8>, u32)> {
    let (addr, bits) = match text.split_once('/') {
        Some((a, bits)) => (a, prefix_bits(bits.as_bytes(), 0, 128)?),
        None => (text, 128),
    };
    let parsed: std::net::Ipv6Addr = addr.parse().ok()?;
    Some((parsed.octets().to_vec(), bits))
}
