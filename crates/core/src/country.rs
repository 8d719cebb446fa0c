//! Countries, because both APIs name them loosely.
//!
//! Bird bulk orders carry `country_name` as free text ("full English name", spec §2.1) and ERPs send
//! whatever their own database holds: "United Kingdom", "UK", "England", "Deutschland", "Korea,
//! Republic of", "Cote d'Ivoire". Orders, services and fees all key on the ISO 3166-1 alpha-2 code,
//! so this module is the single table of codes and the single lenient name-to-code reader. It also
//! backs Bird's `GET /client/Country` (spec §6.2).
//!
//! Names are the ISO 3166-1 English short names as published in Debian's `iso-codes` (which
//! prefers "United Kingdom" and "United States" to the longer formal forms).

use std::{collections::BTreeMap, sync::OnceLock};

/// One officially assigned ISO 3166-1 code and its English short name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Country {
    /// Upper-case alpha-2 code, e.g. `GB`.
    pub iso2: &'static str,
    pub name: &'static str,
}

/// Every officially assigned ISO 3166-1 alpha-2 code (249), sorted by code.
pub const COUNTRIES: &[Country] = &[
    Country { iso2: "AD", name: "Andorra" },
    Country { iso2: "AE", name: "United Arab Emirates" },
    Country { iso2: "AF", name: "Afghanistan" },
    Country { iso2: "AG", name: "Antigua and Barbuda" },
    Country { iso2: "AI", name: "Anguilla" },
    Country { iso2: "AL", name: "Albania" },
    Country { iso2: "AM", name: "Armenia" },
    Country { iso2: "AO", name: "Angola" },
    Country { iso2: "AQ", name: "Antarctica" },
    Country { iso2: "AR", name: "Argentina" },
    Country { iso2: "AS", name: "American Samoa" },
    Country { iso2: "AT", name: "Austria" },
    Country { iso2: "AU", name: "Australia" },
    Country { iso2: "AW", name: "Aruba" },
    Country { iso2: "AX", name: "Åland Islands" },
    Country { iso2: "AZ", name: "Azerbaijan" },
    Country { iso2: "BA", name: "Bosnia and Herzegovina" },
    Country { iso2: "BB", name: "Barbados" },
    Country { iso2: "BD", name: "Bangladesh" },
    Country { iso2: "BE", name: "Belgium" },
    Country { iso2: "BF", name: "Burkina Faso" },
    Country { iso2: "BG", name: "Bulgaria" },
    Country { iso2: "BH", name: "Bahrain" },
    Country { iso2: "BI", name: "Burundi" },
    Country { iso2: "BJ", name: "Benin" },
    Country { iso2: "BL", name: "Saint Barthélemy" },
    Country { iso2: "BM", name: "Bermuda" },
    Country { iso2: "BN", name: "Brunei Darussalam" },
    Country { iso2: "BO", name: "Bolivia, Plurinational State of" },
    Country { iso2: "BQ", name: "Bonaire, Sint Eustatius and Saba" },
    Country { iso2: "BR", name: "Brazil" },
    Country { iso2: "BS", name: "Bahamas" },
    Country { iso2: "BT", name: "Bhutan" },
    Country { iso2: "BV", name: "Bouvet Island" },
    Country { iso2: "BW", name: "Botswana" },
    Country { iso2: "BY", name: "Belarus" },
    Country { iso2: "BZ", name: "Belize" },
    Country { iso2: "CA", name: "Canada" },
    Country { iso2: "CC", name: "Cocos (Keeling) Islands" },
    Country { iso2: "CD", name: "Congo, The Democratic Republic of the" },
    Country { iso2: "CF", name: "Central African Republic" },
    Country { iso2: "CG", name: "Congo" },
    Country { iso2: "CH", name: "Switzerland" },
    Country { iso2: "CI", name: "Côte d'Ivoire" },
    Country { iso2: "CK", name: "Cook Islands" },
    Country { iso2: "CL", name: "Chile" },
    Country { iso2: "CM", name: "Cameroon" },
    Country { iso2: "CN", name: "China" },
    Country { iso2: "CO", name: "Colombia" },
    Country { iso2: "CR", name: "Costa Rica" },
    Country { iso2: "CU", name: "Cuba" },
    Country { iso2: "CV", name: "Cabo Verde" },
    Country { iso2: "CW", name: "Curaçao" },
    Country { iso2: "CX", name: "Christmas Island" },
    Country { iso2: "CY", name: "Cyprus" },
    Country { iso2: "CZ", name: "Czechia" },
    Country { iso2: "DE", name: "Germany" },
    Country { iso2: "DJ", name: "Djibouti" },
    Country { iso2: "DK", name: "Denmark" },
    Country { iso2: "DM", name: "Dominica" },
    Country { iso2: "DO", name: "Dominican Republic" },
    Country { iso2: "DZ", name: "Algeria" },
    Country { iso2: "EC", name: "Ecuador" },
    Country { iso2: "EE", name: "Estonia" },
    Country { iso2: "EG", name: "Egypt" },
    Country { iso2: "EH", name: "Western Sahara" },
    Country { iso2: "ER", name: "Eritrea" },
    Country { iso2: "ES", name: "Spain" },
    Country { iso2: "ET", name: "Ethiopia" },
    Country { iso2: "FI", name: "Finland" },
    Country { iso2: "FJ", name: "Fiji" },
    Country { iso2: "FK", name: "Falkland Islands (Malvinas)" },
    Country { iso2: "FM", name: "Micronesia, Federated States of" },
    Country { iso2: "FO", name: "Faroe Islands" },
    Country { iso2: "FR", name: "France" },
    Country { iso2: "GA", name: "Gabon" },
    Country { iso2: "GB", name: "United Kingdom" },
    Country { iso2: "GD", name: "Grenada" },
    Country { iso2: "GE", name: "Georgia" },
    Country { iso2: "GF", name: "French Guiana" },
    Country { iso2: "GG", name: "Guernsey" },
    Country { iso2: "GH", name: "Ghana" },
    Country { iso2: "GI", name: "Gibraltar" },
    Country { iso2: "GL", name: "Greenland" },
    Country { iso2: "GM", name: "Gambia" },
    Country { iso2: "GN", name: "Guinea" },
    Country { iso2: "GP", name: "Guadeloupe" },
    Country { iso2: "GQ", name: "Equatorial Guinea" },
    Country { iso2: "GR", name: "Greece" },
    Country { iso2: "GS", name: "South Georgia and the South Sandwich Islands" },
    Country { iso2: "GT", name: "Guatemala" },
    Country { iso2: "GU", name: "Guam" },
    Country { iso2: "GW", name: "Guinea-Bissau" },
    Country { iso2: "GY", name: "Guyana" },
    Country { iso2: "HK", name: "Hong Kong" },
    Country { iso2: "HM", name: "Heard Island and McDonald Islands" },
    Country { iso2: "HN", name: "Honduras" },
    Country { iso2: "HR", name: "Croatia" },
    Country { iso2: "HT", name: "Haiti" },
    Country { iso2: "HU", name: "Hungary" },
    Country { iso2: "ID", name: "Indonesia" },
    Country { iso2: "IE", name: "Ireland" },
    Country { iso2: "IL", name: "Israel" },
    Country { iso2: "IM", name: "Isle of Man" },
    Country { iso2: "IN", name: "India" },
    Country { iso2: "IO", name: "British Indian Ocean Territory" },
    Country { iso2: "IQ", name: "Iraq" },
    Country { iso2: "IR", name: "Iran, Islamic Republic of" },
    Country { iso2: "IS", name: "Iceland" },
    Country { iso2: "IT", name: "Italy" },
    Country { iso2: "JE", name: "Jersey" },
    Country { iso2: "JM", name: "Jamaica" },
    Country { iso2: "JO", name: "Jordan" },
    Country { iso2: "JP", name: "Japan" },
    Country { iso2: "KE", name: "Kenya" },
    Country { iso2: "KG", name: "Kyrgyzstan" },
    Country { iso2: "KH", name: "Cambodia" },
    Country { iso2: "KI", name: "Kiribati" },
    Country { iso2: "KM", name: "Comoros" },
    Country { iso2: "KN", name: "Saint Kitts and Nevis" },
    Country { iso2: "KP", name: "Korea, Democratic People's Republic of" },
    Country { iso2: "KR", name: "Korea, Republic of" },
    Country { iso2: "KW", name: "Kuwait" },
    Country { iso2: "KY", name: "Cayman Islands" },
    Country { iso2: "KZ", name: "Kazakhstan" },
    Country { iso2: "LA", name: "Lao People's Democratic Republic" },
    Country { iso2: "LB", name: "Lebanon" },
    Country { iso2: "LC", name: "Saint Lucia" },
    Country { iso2: "LI", name: "Liechtenstein" },
    Country { iso2: "LK", name: "Sri Lanka" },
    Country { iso2: "LR", name: "Liberia" },
    Country { iso2: "LS", name: "Lesotho" },
    Country { iso2: "LT", name: "Lithuania" },
    Country { iso2: "LU", name: "Luxembourg" },
    Country { iso2: "LV", name: "Latvia" },
    Country { iso2: "LY", name: "Libya" },
    Country { iso2: "MA", name: "Morocco" },
    Country { iso2: "MC", name: "Monaco" },
    Country { iso2: "MD", name: "Moldova, Republic of" },
    Country { iso2: "ME", name: "Montenegro" },
    Country { iso2: "MF", name: "Saint Martin (French part)" },
    Country { iso2: "MG", name: "Madagascar" },
    Country { iso2: "MH", name: "Marshall Islands" },
    Country { iso2: "MK", name: "North Macedonia" },
    Country { iso2: "ML", name: "Mali" },
    Country { iso2: "MM", name: "Myanmar" },
    Country { iso2: "MN", name: "Mongolia" },
    Country { iso2: "MO", name: "Macao" },
    Country { iso2: "MP", name: "Northern Mariana Islands" },
    Country { iso2: "MQ", name: "Martinique" },
    Country { iso2: "MR", name: "Mauritania" },
    Country { iso2: "MS", name: "Montserrat" },
    Country { iso2: "MT", name: "Malta" },
    Country { iso2: "MU", name: "Mauritius" },
    Country { iso2: "MV", name: "Maldives" },
    Country { iso2: "MW", name: "Malawi" },
    Country { iso2: "MX", name: "Mexico" },
    Country { iso2: "MY", name: "Malaysia" },
    Country { iso2: "MZ", name: "Mozambique" },
    Country { iso2: "NA", name: "Namibia" },
    Country { iso2: "NC", name: "New Caledonia" },
    Country { iso2: "NE", name: "Niger" },
    Country { iso2: "NF", name: "Norfolk Island" },
    Country { iso2: "NG", name: "Nigeria" },
    Country { iso2: "NI", name: "Nicaragua" },
    Country { iso2: "NL", name: "Netherlands" },
    Country { iso2: "NO", name: "Norway" },
    Country { iso2: "NP", name: "Nepal" },
    Country { iso2: "NR", name: "Nauru" },
    Country { iso2: "NU", name: "Niue" },
    Country { iso2: "NZ", name: "New Zealand" },
    Country { iso2: "OM", name: "Oman" },
    Country { iso2: "PA", name: "Panama" },
    Country { iso2: "PE", name: "Peru" },
    Country { iso2: "PF", name: "French Polynesia" },
    Country { iso2: "PG", name: "Papua New Guinea" },
    Country { iso2: "PH", name: "Philippines" },
    Country { iso2: "PK", name: "Pakistan" },
    Country { iso2: "PL", name: "Poland" },
    Country { iso2: "PM", name: "Saint Pierre and Miquelon" },
    Country { iso2: "PN", name: "Pitcairn" },
    Country { iso2: "PR", name: "Puerto Rico" },
    Country { iso2: "PS", name: "Palestine, State of" },
    Country { iso2: "PT", name: "Portugal" },
    Country { iso2: "PW", name: "Palau" },
    Country { iso2: "PY", name: "Paraguay" },
    Country { iso2: "QA", name: "Qatar" },
    Country { iso2: "RE", name: "Réunion" },
    Country { iso2: "RO", name: "Romania" },
    Country { iso2: "RS", name: "Serbia" },
    Country { iso2: "RU", name: "Russian Federation" },
    Country { iso2: "RW", name: "Rwanda" },
    Country { iso2: "SA", name: "Saudi Arabia" },
    Country { iso2: "SB", name: "Solomon Islands" },
    Country { iso2: "SC", name: "Seychelles" },
    Country { iso2: "SD", name: "Sudan" },
    Country { iso2: "SE", name: "Sweden" },
    Country { iso2: "SG", name: "Singapore" },
    Country { iso2: "SH", name: "Saint Helena, Ascension and Tristan da Cunha" },
    Country { iso2: "SI", name: "Slovenia" },
    Country { iso2: "SJ", name: "Svalbard and Jan Mayen" },
    Country { iso2: "SK", name: "Slovakia" },
    Country { iso2: "SL", name: "Sierra Leone" },
    Country { iso2: "SM", name: "San Marino" },
    Country { iso2: "SN", name: "Senegal" },
    Country { iso2: "SO", name: "Somalia" },
    Country { iso2: "SR", name: "Suriname" },
    Country { iso2: "SS", name: "South Sudan" },
    Country { iso2: "ST", name: "Sao Tome and Principe" },
    Country { iso2: "SV", name: "El Salvador" },
    Country { iso2: "SX", name: "Sint Maarten (Dutch part)" },
    Country { iso2: "SY", name: "Syrian Arab Republic" },
    Country { iso2: "SZ", name: "Eswatini" },
    Country { iso2: "TC", name: "Turks and Caicos Islands" },
    Country { iso2: "TD", name: "Chad" },
    Country { iso2: "TF", name: "French Southern Territories" },
    Country { iso2: "TG", name: "Togo" },
    Country { iso2: "TH", name: "Thailand" },
    Country { iso2: "TJ", name: "Tajikistan" },
    Country { iso2: "TK", name: "Tokelau" },
    Country { iso2: "TL", name: "Timor-Leste" },
    Country { iso2: "TM", name: "Turkmenistan" },
    Country { iso2: "TN", name: "Tunisia" },
    Country { iso2: "TO", name: "Tonga" },
    Country { iso2: "TR", name: "Türkiye" },
    Country { iso2: "TT", name: "Trinidad and Tobago" },
    Country { iso2: "TV", name: "Tuvalu" },
    Country { iso2: "TW", name: "Taiwan, Province of China" },
    Country { iso2: "TZ", name: "Tanzania, United Republic of" },
    Country { iso2: "UA", name: "Ukraine" },
    Country { iso2: "UG", name: "Uganda" },
    Country { iso2: "UM", name: "United States Minor Outlying Islands" },
    Country { iso2: "US", name: "United States" },
    Country { iso2: "UY", name: "Uruguay" },
    Country { iso2: "UZ", name: "Uzbekistan" },
    Country { iso2: "VA", name: "Holy See (Vatican City State)" },
    Country { iso2: "VC", name: "Saint Vincent and the Grenadines" },
    Country { iso2: "VE", name: "Venezuela, Bolivarian Republic of" },
    Country { iso2: "VG", name: "Virgin Islands, British" },
    Country { iso2: "VI", name: "Virgin Islands, U.S." },
    Country { iso2: "VN", name: "Viet Nam" },
    Country { iso2: "VU", name: "Vanuatu" },
    Country { iso2: "WF", name: "Wallis and Futuna" },
    Country { iso2: "WS", name: "Samoa" },
    Country { iso2: "YE", name: "Yemen" },
    Country { iso2: "YT", name: "Mayotte" },
    Country { iso2: "ZA", name: "South Africa" },
    Country { iso2: "ZM", name: "Zambia" },
    Country { iso2: "ZW", name: "Zimbabwe" },
];

/// Names ERPs send that are neither the ISO name nor derivable from it (see [`by_name`]).
const ALIASES: &[(&str, &str)] = &[
    ("UK", "GB"),
    ("Great Britain", "GB"),
    ("Britain", "GB"),
    ("England", "GB"),
    ("Scotland", "GB"),
    ("Wales", "GB"),
    ("Northern Ireland", "GB"),
    ("United Kingdom of Great Britain and Northern Ireland", "GB"),
    ("USA", "US"),
    ("United States of America", "US"),
    ("America", "US"),
    ("Deutschland", "DE"),
    ("Holland", "NL"),
    ("Nederland", "NL"),
    ("Russia", "RU"),
    ("South Korea", "KR"),
    ("Korea", "KR"),
    ("Korea, South", "KR"),
    ("North Korea", "KP"),
    ("Czech Republic", "CZ"),
    ("Slovak Republic", "SK"),
    ("Vietnam", "VN"),
    ("Iran", "IR"),
    ("Taiwan", "TW"),
    ("Hong Kong SAR", "HK"),
    ("Macau", "MO"),
    ("Mainland China", "CN"),
    ("People's Republic of China", "CN"),
    ("PRC", "CN"),
    ("Turkey", "TR"),
    ("Ivory Coast", "CI"),
    ("Cape Verde", "CV"),
    ("Swaziland", "SZ"),
    ("Burma", "MM"),
    ("Laos", "LA"),
    ("Syria", "SY"),
    ("Macedonia", "MK"),
    ("East Timor", "TL"),
    ("UAE", "AE"),
    ("Vatican", "VA"),
    ("Vatican City", "VA"),
    ("DR Congo", "CD"),
    ("DRC", "CD"),
    ("Congo-Kinshasa", "CD"),
    ("Congo-Brazzaville", "CG"),
    ("Republic of the Congo", "CG"),
    ("Espana", "ES"),
    ("Italia", "IT"),
    ("Polska", "PL"),
    ("Osterreich", "AT"),
    ("Schweiz", "CH"),
    ("Suisse", "CH"),
    ("Sverige", "SE"),
    ("Norge", "NO"),
    ("Danmark", "DK"),
    ("Belgique", "BE"),
    ("Belgie", "BE"),
    ("Brasil", "BR"),
];

/// Looks a country up by its alpha-2 code, ignoring case and surrounding whitespace.
pub fn by_code(code: &str) -> Option<&'static Country> {
    let code = code.trim();
    COUNTRIES.iter().find(|c| c.iso2.eq_ignore_ascii_case(code))
}

/// Resolves the country name a client sent. Case, punctuation, accents and spacing are ignored
/// ("cote d ivoire", "CÔTE D’IVOIRE", "St. Lucia", "Trinidad & Tobago"), and a leading "The" is
/// dropped. Tried in order: the ISO name or a known alias, an alpha-2 code, then forms derived
/// from the ISO name (without its parenthesis, the part before its comma, or "Republic of Korea"
/// for "Korea, Republic of"), the last only when just one country has that form.
pub fn by_name(name: &str) -> Option<&'static Country> {
    let key = normalize(name);
    if key.is_empty() {
        return None;
    }
    let index = index();
    if let Some(&i) = index.exact.get(&key) {
        return COUNTRIES.get(i);
    }
    if let Some(country) = by_code(&key) {
        return Some(country);
    }
    index.derived.get(&key).copied().flatten().and_then(|i| COUNTRIES.get(i))
}

/// Normalised names to positions in [`COUNTRIES`]. `derived` maps to `None` when ambiguous
/// ("Virgin Islands").
struct Index {
    exact: BTreeMap<String, usize>,
    derived: BTreeMap<String, Option<usize>>,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        let position = |code: &str| COUNTRIES.iter().position(|c| c.iso2 == code);
        let mut exact: BTreeMap<String, usize> =
            COUNTRIES.iter().enumerate().map(|(i, c)| (normalize(c.name), i)).collect();
        exact.extend(ALIASES.iter().filter_map(|(alias, code)| Some((normalize(alias), position(code)?))));
        let mut derived: BTreeMap<String, Option<usize>> = BTreeMap::new();
        for (i, c) in COUNTRIES.iter().enumerate() {
            for form in derived_forms(c.name) {
                let key = normalize(&form);
                if !exact.contains_key(&key) {
                    let entry = derived.entry(key).or_insert(Some(i));
                    if *entry != Some(i) {
                        *entry = None;
                    }
                }
            }
        }
        Index { exact, derived }
    })
}

/// Shorter forms people use for an ISO name: without the parenthesis, before the comma, and with
/// the comma's halves swapped.
fn derived_forms(name: &str) -> Vec<String> {
    let mut forms = Vec::new();
    if let Some((before, rest)) = name.split_once('(') {
        let after = rest.split_once(')').map_or("", |(_, after)| after);
        forms.push(format!("{before} {after}"));
    }
    if let Some((before, after)) = name.split_once(", ") {
        forms.push(before.to_string());
        forms.push(format!("{after} {before}"));
    }
    forms
}

/// Lower-case words of letters and digits only: accents folded, `.` and apostrophes dropped,
/// `&` read as "and", "st" as "saint", a leading "the" removed.
fn normalize(text: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for ch in text.chars().flat_map(char::to_lowercase).map(fold_accent) {
        if ch.is_alphanumeric() {
            word.push(ch);
        } else if matches!(ch, '.' | '\'' | '’' | '`') {
            continue;
        } else {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            if ch == '&' {
                words.push("and".to_string());
            }
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    for w in &mut words {
        if w == "st" {
            *w = "saint".to_string();
        }
    }
    if words.first().is_some_and(|w| w == "the") {
        words.remove(0);
    }
    words.join(" ")
}

/// Folds the accented Latin letters that occur in country names to their base letter.
fn fold_accent(ch: char) -> char {
    match ch {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn code(name: &str) -> Option<&'static str> {
        by_name(name).map(|c| c.iso2)
    }

    #[test]
    fn table_has_every_assigned_code_once() {
        assert_eq!(COUNTRIES.len(), 249);
        let codes: HashSet<&str> = COUNTRIES.iter().map(|c| c.iso2).collect();
        assert_eq!(codes.len(), 249);
        assert!(COUNTRIES.iter().all(|c| c.iso2.len() == 2 && c.iso2.bytes().all(|b| b.is_ascii_uppercase())));
        assert!(COUNTRIES.windows(2).all(|w| w[0].iso2 < w[1].iso2), "sorted by code");
        assert!(COUNTRIES.iter().all(|c| !c.name.is_empty()));
    }

    #[test]
    fn every_iso_name_resolves_to_itself() {
        for c in COUNTRIES {
            assert_eq!(code(c.name), Some(c.iso2), "{}", c.name);
            assert_eq!(code(&c.name.to_uppercase()), Some(c.iso2), "{}", c.name);
        }
    }

    #[test]
    fn every_alias_points_at_a_real_code() {
        for (alias, iso2) in ALIASES {
            assert!(by_code(iso2).is_some(), "{alias} -> {iso2}");
            assert_eq!(code(alias), Some(*iso2), "{alias}");
        }
    }

    #[test]
    fn codes_are_case_insensitive() {
        assert_eq!(by_code("gb").map(|c| c.name), Some("United Kingdom"));
        assert_eq!(by_code(" De ").map(|c| c.name), Some("Germany"));
        assert_eq!(by_code("UK"), None, "UK is only reserved, not assigned");
        assert_eq!(by_code("XX"), None);
        assert_eq!(by_code(""), None);
    }

    #[test]
    fn erp_names_and_aliases() {
        for (name, want) in [
            ("United Kingdom", "GB"),
            ("  united   KINGDOM ", "GB"),
            ("U.K.", "GB"),
            ("Great Britain", "GB"),
            ("England", "GB"),
            ("Scotland", "GB"),
            ("Wales", "GB"),
            ("Northern Ireland", "GB"),
            ("Ireland", "IE"),
            ("USA", "US"),
            ("U.S.A.", "US"),
            ("United States of America", "US"),
            ("America", "US"),
            ("Deutschland", "DE"),
            ("Germany", "DE"),
            ("Holland", "NL"),
            ("The Netherlands", "NL"),
            ("Russia", "RU"),
            ("South Korea", "KR"),
            ("Korea", "KR"),
            ("Republic of Korea", "KR"),
            ("Korea, Democratic People's Republic of", "KP"),
            ("Czech Republic", "CZ"),
            ("Vietnam", "VN"),
            ("Viet Nam", "VN"),
            ("Iran", "IR"),
            ("Taiwan", "TW"),
            ("Hong Kong", "HK"),
            ("Cote d'Ivoire", "CI"),
            ("CÔTE D’IVOIRE", "CI"),
            ("Curacao", "CW"),
            ("Reunion", "RE"),
            ("Turkey", "TR"),
            ("Turkiye", "TR"),
            ("St. Lucia", "LC"),
            ("St Kitts and Nevis", "KN"),
            ("Trinidad & Tobago", "TT"),
            ("Bolivia", "BO"),
            ("Venezuela", "VE"),
            ("British Virgin Islands", "VG"),
            ("Holy See", "VA"),
            ("Falkland Islands", "FK"),
            ("Palestine", "PS"),
            ("Congo", "CG"),
            ("Democratic Republic of the Congo", "CD"),
            ("gb", "GB"),
            ("fr", "FR"),
        ] {
            assert_eq!(code(name), Some(want), "{name}");
        }
    }

    #[test]
    fn unknown_or_ambiguous_names_are_none() {
        for name in ["", "   ", "Narnia", "Virgin Islands", "XX", "United", "Kingdom of", "--"] {
            assert_eq!(code(name), None, "{name}");
        }
    }
}
