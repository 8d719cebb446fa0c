//! Tracking number formats: the UPU S10 check digit used by Royal Mail and Parcelforce, and the
//! carrier-shaped numbers the sandbox issues.
//!
//! Sandbox numbers look like the real carrier's (length, prefix, check digit) so ERPs that
//! validate tracking numbers accept them, and they are derived from a hash of the order id so a
//! retried booking gets the same number again.

use sha2::{Digest, Sha256};

/// Weights of the eight serial digits in the S10 check digit (UPU standard S10).
const S10_WEIGHTS: [u32; 8] = [8, 6, 4, 2, 3, 5, 9, 7];

/// Two-letter service indicators Royal Mail prints on its S10 numbers.
const ROYAL_MAIL_PREFIXES: [&str; 5] = ["RM", "TT", "JX", "LX", "RR"];
/// Two-letter service indicators of Parcelforce's international S10 numbers.
const PARCELFORCE_PREFIXES: [&str; 3] = ["CP", "CX", "EE"];

/// The UPU S10 check digit of an eight-digit serial, so numbers we issue (and numbers carriers
/// send us) can be checked before they are printed. `None` unless `serial` is exactly eight ASCII
/// digits.
///
/// Each digit is multiplied by 8, 6, 4, 2, 3, 5, 9, 7; the check digit is 11 minus the sum
/// modulo 11, except that 10 becomes 0 and 11 becomes 5.
pub fn s10_check_digit(serial: &str) -> Option<u8> {
    check_digit(serial.as_bytes())
}

fn check_digit(bytes: &[u8]) -> Option<u8> {
    if bytes.len() != S10_WEIGHTS.len() || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = bytes.iter().zip(S10_WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    Some(match 11 - sum % 11 {
        10 => 0,
        11 => 5,
        // 1..=9 here, so the narrowing is exact.
        d => d as u8,
    })
}

/// Whether `s` is a well-formed S10 item identifier: two upper-case letters, eight digits, the
/// matching check digit, and a two-letter upper-case country code (e.g. `RR123456785GB`).
pub fn is_valid_s10(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 13 {
        return false;
    }
    let letters = |r: &[u8]| r.iter().all(u8::is_ascii_uppercase);
    if !letters(&b[..2]) || !letters(&b[11..]) || !b[10].is_ascii_digit() {
        return false;
    }
    check_digit(&b[2..10]) == Some(b[10] - b'0')
}

/// A carrier code reduced to what matters for matching: upper case, letters and digits only,
/// so `Royal Mail`, `royal_mail` and `ROYALMAIL` all name the same carrier.
pub(crate) fn normalise_carrier(carrier: &str) -> String {
    carrier.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_uppercase()).collect()
}

/// The sandbox's tracking number for `order_id` in `carrier`'s format: the same inputs always
/// give the same number, different orders almost surely different ones.
pub(crate) fn sandbox_tracking_number(carrier: &str, order_id: &str) -> String {
    let seed = Seed::new(order_id);
    match normalise_carrier(carrier).as_str() {
        "ROYALMAIL" => seed.s10(&ROYAL_MAIL_PREFIXES),
        "PARCELFORCE" => seed.s10(&PARCELFORCE_PREFIXES),
        "DHL" => seed.digits(10),
        "DPD" => format!("15{}", seed.digits(12)),
        "GLS" => seed.digits(11),
        "HERMES" | "EVRI" => format!("H{}", seed.digits(15)),
        _ => format!("EP{}", seed.digits(16)),
    }
}

/// The SHA-256 of an order id, read as the source of a tracking number's digits and letters.
struct Seed([u8; 32]);

impl Seed {
    fn new(order_id: &str) -> Self {
        Seed(Sha256::digest(order_id.as_bytes()).into())
    }

    /// `n` (at most 16) decimal digits from the first 128 bits of the hash. Reducing a 128-bit
    /// number modulo 10^16 leaves a bias far too small to matter.
    fn digits(&self, n: u32) -> String {
        debug_assert!(n <= 16, "at most 16 digits per seed");
        let mut head = [0u8; 16];
        head.copy_from_slice(&self.0[..16]);
        let value = u128::from_be_bytes(head) % 10u128.pow(n);
        format!("{value:0width$}", width = n as usize)
    }

    /// An S10 number: a prefix picked by the hash, eight digits, the check digit, `GB`.
    fn s10(&self, prefixes: &[&str]) -> String {
        let prefix = prefixes[usize::from(self.0[16]) % prefixes.len()];
        let serial = self.digits(8);
        let check = s10_check_digit(&serial).unwrap_or_default();
        format!("{prefix}{serial}{check}GB")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s10_check_digits_worked_by_hand() {
        // 1·8 + 2·6 + 3·4 + 4·2 + 5·3 + 6·5 + 7·9 + 8·7 = 204; 204 mod 11 = 6; 11 - 6 = 5.
        assert_eq!(s10_check_digit("12345678"), Some(5));
        // 4·8 + 7·6 + 3·4 + 1·2 + 2·3 + 4·5 + 8·9 + 2·7 = 200; 200 mod 11 = 2; 11 - 2 = 9.
        assert_eq!(s10_check_digit("47312482"), Some(9));
        // Sum 0; 11 - 0 = 11, which becomes 5.
        assert_eq!(s10_check_digit("00000000"), Some(5));
        // 8·7 = 56; 56 mod 11 = 1; 11 - 1 = 10, which becomes 0.
        assert_eq!(s10_check_digit("00000008"), Some(0));
    }

    #[test]
    fn s10_check_digit_needs_eight_digits() {
        assert_eq!(s10_check_digit("1234567"), None);
        assert_eq!(s10_check_digit("123456789"), None);
        assert_eq!(s10_check_digit("1234567A"), None);
        assert_eq!(s10_check_digit(""), None);
        assert_eq!(s10_check_digit("١٢٣٤٥٦٧٨"), None);
    }

    #[test]
    fn recognises_valid_s10_numbers() {
        assert!(is_valid_s10("RR123456785GB"));
        assert!(is_valid_s10("EE473124829GB"));
        assert!(is_valid_s10("CP000000005FR"));
        assert!(is_valid_s10("LX000000080GB"));
    }

    #[test]
    fn refuses_malformed_s10_numbers() {
        for bad in [
            "RR123456784GB",  // wrong check digit
            "rr123456785GB",  // lower-case service indicator
            "RR123456785gb",  // lower-case country
            "R1123456785GB",  // digit in the prefix
            "RR12345678GB",   // too short
            "RR1234567850GB", // too long
            "RR12345678XGB",  // letter as check digit
            "RR123456é5GB",   // non-ASCII, 13 bytes long
            "",
        ] {
            assert!(!is_valid_s10(bad), "{bad} accepted");
        }
    }

    #[test]
    fn carrier_codes_match_loosely() {
        assert_eq!(normalise_carrier("Royal Mail"), "ROYALMAIL");
        assert_eq!(normalise_carrier("royal_mail"), "ROYALMAIL");
        assert_eq!(normalise_carrier(" dhl "), "DHL");
    }

    #[test]
    fn numbers_are_zero_padded_to_length() {
        // Whatever the hash, the digit count is fixed.
        for id in ["a", "b", "c", "ord_01ABC", ""] {
            assert_eq!(Seed::new(id).digits(16).len(), 16);
            assert_eq!(Seed::new(id).digits(1).len(), 1);
        }
    }
}
