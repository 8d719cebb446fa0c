//! The checksums and the zlib container PNG requires, written out because
//! the crate has no dependencies.
//!
//! Barcode images are mostly long runs of identical bytes and small, so we
//! skip compression entirely and emit *stored* deflate blocks: always valid,
//! trivially correct, and still only a few kilobytes for a 1-bit image.

/// Largest payload of one stored deflate block (LEN is 16 bits).
const MAX_STORED_BLOCK: usize = 65_535;

const CRC_TABLE: [u32; 256] = crc_table();

const fn crc_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut n = 0;
    while n < 256 {
        let mut c = n as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 == 1 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[n] = c;
        n += 1;
    }
    table
}

/// CRC-32 (ISO-HDLC, as in PNG chunks), over several slices so a chunk's
/// type and data need not be concatenated first.
pub(crate) fn crc32(parts: &[&[u8]]) -> u32 {
    let mut c = 0xFFFF_FFFF_u32;
    for part in parts {
        for &b in *part {
            c = CRC_TABLE[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8);
        }
    }
    c ^ 0xFFFF_FFFF
}

/// Adler-32, the zlib trailer checksum.
pub(crate) fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65_521;
    let (mut a, mut b) = (1u32, 0u32);
    // 5552 is the longest run before `b` could overflow a u32.
    for chunk in data.chunks(5552) {
        for &byte in chunk {
            a += u32::from(byte);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

/// Wraps `data` in a zlib stream made of stored (uncompressed) blocks.
pub(crate) fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let blocks = data.len().div_ceil(MAX_STORED_BLOCK).max(1);
    let mut out = Vec::with_capacity(data.len() + blocks * 5 + 6);
    // CMF: deflate with a 32 KiB window; FLG: no dictionary, check bits
    // making 0x7801 a multiple of 31.
    out.extend_from_slice(&[0x78, 0x01]);
    let mut chunks = data.chunks(MAX_STORED_BLOCK).peekable();
    if chunks.peek().is_none() {
        // An empty stream is still one final (empty) block.
        out.extend_from_slice(&[0x01, 0x00, 0x00, 0xFF, 0xFF]);
    }
    while let Some(chunk) = chunks.next() {
        let is_final = chunks.peek().is_none();
        // BFINAL in bit 0, BTYPE=00 (stored); the rest of the byte is padding.
        out.push(u8::from(is_final));
        let len = u16::try_from(chunk.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

/// Test-only inverse of [`zlib_stored`], strict about every field.
#[cfg(test)]
pub(crate) fn inflate_stored(stream: &[u8]) -> Vec<u8> {
    assert_eq!(&stream[..2], &[0x78, 0x01], "zlib header");
    assert_eq!(u16::from_be_bytes([stream[0], stream[1]]) % 31, 0);
    let mut out = Vec::new();
    let mut at = 2;
    loop {
        let header = stream[at];
        assert_eq!(header & !1, 0, "only stored blocks expected");
        let len = u16::from_le_bytes([stream[at + 1], stream[at + 2]]);
        let nlen = u16::from_le_bytes([stream[at + 3], stream[at + 4]]);
        assert_eq!(len, !nlen, "NLEN is the complement of LEN");
        at += 5;
        out.extend_from_slice(&stream[at..at + usize::from(len)]);
        at += usize::from(len);
        if header & 1 == 1 {
            break;
        }
    }
    let adler = u32::from_be_bytes([stream[at], stream[at + 1], stream[at + 2], stream[at + 3]]);
    assert_eq!(adler, adler32(&out), "adler32 trailer");
    assert_eq!(at + 4, stream.len(), "no trailing bytes");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_known_answers() {
        assert_eq!(crc32(&[b"123456789"]), 0xCBF4_3926);
        assert_eq!(crc32(&[b"1234", b"56789"]), 0xCBF4_3926);
        // The CRC every PNG ends with.
        assert_eq!(crc32(&[b"IEND"]), 0xAE42_6082);
        assert_eq!(crc32(&[]), 0);
    }

    #[test]
    fn adler32_known_answers() {
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
        assert_eq!(adler32(b""), 1);
        // Long input exercises the deferred modulo.
        let big = vec![0xFF_u8; 100_000];
        let (mut a, mut b) = (1u64, 0u64);
        for &x in &big {
            a = (a + u64::from(x)) % 65_521;
            b = (b + a) % 65_521;
        }
        assert_eq!(adler32(&big), ((b << 16) | a) as u32);
    }

    #[test]
    fn stored_blocks_round_trip_and_split_at_65535() {
        for len in [0usize, 1, 65_535, 65_536, 200_000] {
            let data: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            let z = zlib_stored(&data);
            assert_eq!(inflate_stored(&z), data, "len {len}");
            let blocks = len.div_ceil(MAX_STORED_BLOCK).max(1);
            assert_eq!(z.len(), 2 + 5 * blocks + len + 4);
        }
    }
}
