//! The compliance fields carriers require on some orders, and the options some services offer.
//!
//! Bird's seeds list the fields per carrier ("omp_name 【royal mail, yodel 出口必填】"). Which
//! fields a service needs, and when, is data on the service ([`Requirement`]), so an operator can
//! set up a carrier without a release; [`carrier_rules`] gives the seeds' lists to start from.
//! Every message names the field as the ERP sent it and the service's rule, so the seller knows
//! what to add.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

use crate::{outbound::Customs, service::Service, CoreError, CoreResult};

/// A compliance field an order may carry, by Bird's name for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// The sales platform (`omp_name`, the order's platform).
    OmpName,
    OmpVatNumber,
    /// The platform's order id (`sales_order_id`).
    SalesOrderId,
    ShipperEori,
    ReasonForExport,
    ContentType,
    ReceiverEori,
    ReceiverPidNumber,
}

impl Field {
    pub const ALL: [Self; 8] = [
        Self::OmpName,
        Self::OmpVatNumber,
        Self::SalesOrderId,
        Self::ShipperEori,
        Self::ReasonForExport,
        Self::ContentType,
        Self::ReceiverEori,
        Self::ReceiverPidNumber,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::OmpName => "omp_name",
            Self::OmpVatNumber => "omp_vat_number",
            Self::SalesOrderId => "sales_order_id",
            Self::ShipperEori => "shipper_eori",
            Self::ReasonForExport => "reason_for_export",
            Self::ContentType => "content_type",
            Self::ReceiverEori => "receiver_eori",
            Self::ReceiverPidNumber => "receiver_pid_number",
        }
    }
}

impl FromStr for Field {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        Self::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| CoreError::invalid("requires", format!("unknown compliance field '{s}'")))
    }
}

/// When a service requires a field. Every case is an export (出口): the destination is outside
/// the warehouse's country; domestic parcels need none of these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum When {
    Export,
    /// Exports to a business: the recipient's company (`business_name`) is given.
    ExportToBusiness,
    /// Exports to one of these countries (ISO-2).
    ExportTo(Vec<String>),
}

/// One rule of a service: `field` is required `when`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirement {
    pub field: Field,
    pub when: When,
}

impl Requirement {
    fn new(field: Field, when: When) -> Self {
        Self { field, when }
    }

    /// Whether the rule applies to `order`.
    fn applies(&self, order: &OrderFacts<'_>) -> bool {
        let export = !order.country.eq_ignore_ascii_case(order.origin);
        match &self.when {
            When::Export => export,
            When::ExportToBusiness => export && order.business.is_some_and(|c| !c.trim().is_empty()),
            When::ExportTo(countries) => export && countries.iter().any(|c| c.eq_ignore_ascii_case(order.country)),
        }
    }

    /// The rule in words, for a refusal.
    fn describe(&self, order: &OrderFacts<'_>) -> String {
        let (from, to) = (order.origin, order.country);
        match &self.when {
            When::Export => format!("for exports ({from} → {to})"),
            When::ExportToBusiness => format!("for exports to a business ({from} → {to}, business_name given)"),
            When::ExportTo(countries) => format!("for exports to {}", countries.join(", ")),
        }
    }
}

/// The operator's spelling, as `admin service create --require` takes it: `shipper_eori`
/// (every export), `receiver_eori:business`, `receiver_pid_number:NO,ES,IT`.
impl FromStr for Requirement {
    type Err = CoreError;
    fn from_str(s: &str) -> CoreResult<Self> {
        let (field, when) = s.split_once(':').unwrap_or((s, "export"));
        let when = match when.trim().to_ascii_lowercase().as_str() {
            "export" | "" => When::Export,
            "business" => When::ExportToBusiness,
            list => {
                let countries: Vec<String> = list
                    .split(',')
                    .map(|c| crate::company::validate_country("requires", c))
                    .collect::<CoreResult<_>>()?;
                When::ExportTo(countries)
            }
        };
        Ok(Self { field: field.parse()?, when })
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.when {
            When::Export => write!(f, "{}", self.field.as_str()),
            When::ExportToBusiness => write!(f, "{}:business", self.field.as_str()),
            When::ExportTo(c) => write!(f, "{}:{}", self.field.as_str(), c.join(",")),
        }
    }
}

/// The seeds' rules for a carrier code (Bird's create-consignment pages and the agent-direct
/// batch page): Royal Mail needs the platform, the shipper's EORI and the content type on exports;
/// Yodel the platform, its VAT number and the platform order id; DPD the shipper's EORI and the
/// reason for export, the platform's VAT number and the receiver's EORI for businesses, and the
/// receiver's personal id to Norway, Spain and Italy. Other carriers: none.
pub fn carrier_rules(carrier: &str) -> Vec<Requirement> {
    use Field::*;
    match carrier.trim().to_ascii_uppercase().as_str() {
        "ROYALMAIL" | "ROYAL_MAIL" | "ROYAL MAIL" => vec![
            Requirement::new(OmpName, When::Export),
            Requirement::new(ShipperEori, When::Export),
            Requirement::new(ContentType, When::Export),
        ],
        "YODEL" => vec![
            Requirement::new(OmpName, When::Export),
            Requirement::new(OmpVatNumber, When::Export),
            Requirement::new(SalesOrderId, When::Export),
        ],
        "DPD" => vec![
            Requirement::new(ShipperEori, When::Export),
            Requirement::new(ReasonForExport, When::Export),
            Requirement::new(OmpVatNumber, When::ExportToBusiness),
            Requirement::new(ReceiverEori, When::ExportToBusiness),
            Requirement::new(ReceiverPidNumber, When::ExportTo(vec!["NO".into(), "ES".into(), "IT".into()])),
        ],
        _ => vec![],
    }
}

/// The UK's remote areas as carriers surcharge or exclude them (Highlands and Islands, Northern
/// Ireland, the Crown Dependencies, Scilly, the Isle of Wight): postcode areas, or ranges of
/// districts.
pub const UK_REMOTE_AREAS: &[&str] = &[
    "HS",
    "IV",
    "KW",
    "ZE",
    "BT",
    "IM",
    "JE",
    "GY",
    "PA20-PA49",
    "PA60-PA78",
    "PH17-PH26",
    "PH30-PH44",
    "PH49-PH50",
    "KA27-KA28",
    "PO30-PO41",
    "TR21-TR25",
];

/// Splits a district (`PA20`) into its letters and number.
fn district_parts(d: &str) -> (&str, Option<u32>) {
    let split = d.find(|c: char| c.is_ascii_digit()).unwrap_or(d.len());
    let (letters, digits) = d.split_at(split);
    let digits: String = digits.chars().take_while(char::is_ascii_digit).collect();
    (letters, digits.parse().ok())
}

/// The remote area of `areas` that `postcode` lies in, if any. A UK postcode's district is what
/// precedes its last three characters (`PA20 1AB` → `PA20`); an area of letters only (`HS`)
/// matches every district with those letters, `PA20-PA49` the districts between.
pub fn remote_area<'a>(postcode: &str, areas: &'a [String]) -> Option<&'a str> {
    let pc: String = postcode.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    let district = if pc.len() >= 5 { &pc[..pc.len() - 3] } else { pc.as_str() };
    let (letters, number) = district_parts(district);
    areas.iter().map(String::as_str).find(|area| {
        let area = area.trim().to_ascii_uppercase();
        match area.split_once('-') {
            Some((lo, hi)) => {
                let ((l1, n1), (l2, n2)) = (district_parts(lo), district_parts(hi));
                l1 == letters
                    && l2 == letters
                    && matches!((n1, n2, number), (Some(a), Some(b), Some(n)) if a <= n && n <= b)
            }
            None if area.bytes().all(|b| b.is_ascii_alphabetic()) => area == letters,
            None => area == district,
        }
    })
}

/// Options a consignment may ask of its service.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OrderOptions {
    /// Handled first, for the rate card's urgent surcharge (Bird `is_urgent`).
    pub urgent: bool,
    /// The carrier compensates a late delivery, "晚必赔" (Bird `is_compensation_for_delay`): only
    /// on services that offer it and never to a remote postcode.
    pub compensation_for_delay: bool,
}

/// What an order says, for [`check`].
pub struct OrderFacts<'a> {
    /// The warehouse's country.
    pub origin: &'a str,
    /// The destination, ISO-2.
    pub country: &'a str,
    /// The recipient's company (`business_name`).
    pub business: Option<&'a str>,
    pub postcode: &'a str,
    pub platform: Option<&'a str>,
    pub platform_order_id: Option<&'a str>,
    pub customs: &'a Customs,
    pub options: OrderOptions,
}

impl OrderFacts<'_> {
    fn value(&self, field: Field) -> Option<&str> {
        let c = self.customs;
        let v = match field {
            Field::OmpName => self.platform,
            Field::OmpVatNumber => c.omp_vat_number.as_deref(),
            Field::SalesOrderId => self.platform_order_id,
            Field::ShipperEori => c.shipper_eori.as_deref(),
            Field::ReasonForExport => c.reason_for_export.as_deref(),
            Field::ContentType => c.content_type.as_deref(),
            Field::ReceiverEori => c.receiver_eori.as_deref(),
            Field::ReceiverPidNumber => c.receiver_pid_number.as_deref(),
        };
        v.map(str::trim).filter(|v| !v.is_empty())
    }
}

const REASONS_FOR_EXPORT: [&str; 3] = ["Sale", "ReturnReplacement", "Gift"];
const CONTENT_TYPES: [&str; 3] = ["Gift", "Documents", "Other"];

/// An EORI number: a country code and up to 15 letters or digits; a British one (GB, XI) is 12 or
/// 15 digits after its code (seed: "由国家代码+12位数字组成 … 例如 GB000001234567").
fn is_eori(v: &str) -> bool {
    let b = v.as_bytes();
    if b.len() < 3 || b.len() > 17 || !b[..2].iter().all(u8::is_ascii_alphabetic) {
        return false;
    }
    let rest = &b[2..];
    match v[..2].to_ascii_uppercase().as_str() {
        "GB" | "XI" => (rest.len() == 12 || rest.len() == 15) && rest.iter().all(u8::is_ascii_digit),
        _ => rest.iter().all(u8::is_ascii_alphanumeric),
    }
}

/// The format each field must have, whenever it is given.
fn check_format(field: Field, v: &str) -> CoreResult<()> {
    let bad = |msg: String| Err(CoreError::invalid(field.as_str(), msg));
    let max = |n: usize| if v.chars().count() > n { bad(format!("must be at most {n} characters")) } else { Ok(()) };
    match field {
        Field::OmpName | Field::SalesOrderId => max(50),
        Field::ReasonForExport | Field::ContentType => {
            let allowed: &[&str] = if field == Field::ReasonForExport { &REASONS_FOR_EXPORT } else { &CONTENT_TYPES };
            if allowed.iter().any(|a| a.eq_ignore_ascii_case(v)) {
                Ok(())
            } else {
                bad(format!("'{v}' is not one of {}", allowed.join(", ")))
            }
        }
        Field::ShipperEori | Field::ReceiverEori => {
            if is_eori(v) {
                Ok(())
            } else {
                bad(format!(
                    "'{v}' is not an EORI number (a country code and up to 15 letters or digits, e.g. GB000001234567)"
                ))
            }
        }
        Field::OmpVatNumber => {
            let compact: String = v.chars().filter(|c| *c != ' ').collect();
            if (4..=20).contains(&compact.len()) && compact.bytes().all(|b| b.is_ascii_alphanumeric()) {
                Ok(())
            } else {
                bad(format!("'{v}' is not a VAT number (4 to 20 letters or digits)"))
            }
        }
        Field::ReceiverPidNumber => {
            if (4..=30).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                Ok(())
            } else {
                bad(format!("'{v}' is not a personal id number (4 to 30 letters, digits or dashes)"))
            }
        }
    }
}

/// Checks an order's compliance fields and options against its service: each given field's
/// format, each field the service's rules require, and the options the service offers.
pub fn check(order: &OrderFacts<'_>, service: &Service) -> CoreResult<()> {
    for field in Field::ALL {
        if let Some(v) = order.value(field) {
            check_format(field, v)?;
        }
    }
    let c = &service.constraints;
    for rule in c.requires.iter().filter(|r| r.applies(order)) {
        if order.value(rule.field).is_none() {
            return Err(CoreError::invalid(
                rule.field.as_str(),
                format!("is required by service {} ({}) {}", service.code, service.carrier, rule.describe(order)),
            ));
        }
    }
    if order.options.urgent && c.refuses_urgent {
        return Err(CoreError::invalid(
            "is_urgent",
            format!("service {} does not take urgent consignments", service.code),
        ));
    }
    if order.options.compensation_for_delay {
        if !c.compensation_for_delay {
            return Err(CoreError::invalid(
                "is_compensation_for_delay",
                format!("service {} does not offer compensation for delay", service.code),
            ));
        }
        if let Some(area) = remote_area(order.postcode, &c.remote_postcodes) {
            return Err(CoreError::invalid(
                "is_compensation_for_delay",
                format!(
                    "service {} offers no compensation for delay to remote postcode {} (area {area})",
                    service.code, order.postcode
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::tests::service;

    /// Where an order goes: country, business name, postcode.
    type To = (&'static str, Option<&'static str>, &'static str);

    fn to(country: &'static str, company: Option<&'static str>, postcode: &'static str) -> To {
        (country, company, postcode)
    }

    fn dpd() -> Service {
        let mut s = service();
        s.code = "GBDPDExport".into();
        s.carrier = "DPD".into();
        s.constraints.requires = carrier_rules("DPD");
        s
    }

    fn facts<'a>(to: &To, customs: &'a Customs) -> OrderFacts<'a> {
        OrderFacts {
            origin: "GB",
            country: to.0,
            business: to.1,
            postcode: to.2,
            platform: None,
            platform_order_id: None,
            customs,
            options: OrderOptions::default(),
        }
    }

    fn err(r: CoreResult<()>) -> (String, String) {
        match r {
            Err(CoreError::Validation { field, message, .. }) => (field, message),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn dpd_rules_by_destination_and_business() {
        let s = dpd();
        let none = Customs::default();
        // Domestic: nothing required.
        let home = to("GB", Some("Acme"), "LS1 1AA");
        check(&facts(&home, &none), &s).unwrap();
        // An export needs the shipper's EORI first, then the reason.
        let fr = to("FR", None, "75001");
        assert_eq!(
            err(check(&facts(&fr, &none), &s)),
            ("shipper_eori".into(), "is required by service GBDPDExport (DPD) for exports (GB → FR)".into())
        );
        let mut c = Customs { shipper_eori: Some("GB000001234567".into()), ..Default::default() };
        assert_eq!(err(check(&facts(&fr, &c), &s)).0, "reason_for_export");
        c.reason_for_export = Some("SALE".into());
        check(&facts(&fr, &c), &s).unwrap();
        // To a business: the platform's VAT number and the receiver's EORI.
        let biz = to("FR", Some("Acme SARL"), "75001");
        let (field, msg) = err(check(&facts(&biz, &c), &s));
        assert_eq!(field, "omp_vat_number");
        assert!(msg.contains("business_name given"), "{msg}");
        c.omp_vat_number = Some("GB 123 4567 89".into());
        assert_eq!(err(check(&facts(&biz, &c), &s)).0, "receiver_eori");
        c.receiver_eori = Some("FR12345678901".into());
        check(&facts(&biz, &c), &s).unwrap();
        // Norway, Spain, Italy: the receiver's personal id.
        let es = to("ES", None, "28001");
        let (field, msg) = err(check(&facts(&es, &c), &s));
        assert_eq!(
            (field.as_str(), msg.as_str()),
            ("receiver_pid_number", "is required by service GBDPDExport (DPD) for exports to NO, ES, IT")
        );
        c.receiver_pid_number = Some("X1234567L".into());
        check(&facts(&es, &c), &s).unwrap();
    }

    #[test]
    fn formats_and_allowed_values_whenever_given() {
        let s = service();
        let home = to("GB", None, "LS1 1AA");
        for (customs, field) in [
            (Customs { reason_for_export: Some("Present".into()), ..Default::default() }, "reason_for_export"),
            (Customs { content_type: Some("Parcel".into()), ..Default::default() }, "content_type"),
            (Customs { shipper_eori: Some("12345000".into()), ..Default::default() }, "shipper_eori"),
            (Customs { shipper_eori: Some("GB12345".into()), ..Default::default() }, "shipper_eori"),
            (Customs { receiver_eori: Some("FR-123".into()), ..Default::default() }, "receiver_eori"),
            (Customs { omp_vat_number: Some("12".into()), ..Default::default() }, "omp_vat_number"),
            (Customs { receiver_pid_number: Some("a b".into()), ..Default::default() }, "receiver_pid_number"),
        ] {
            assert_eq!(err(check(&facts(&home, &customs), &s)).0, field);
        }
        let ok = Customs {
            reason_for_export: Some("returnreplacement".into()),
            content_type: Some("DOCUMENTS".into()),
            shipper_eori: Some("XI000001234567".into()),
            receiver_eori: Some("DE1234567".into()),
            ..Default::default()
        };
        check(&facts(&home, &ok), &s).unwrap();
        let long = "x".repeat(51);
        let f = OrderFacts { platform: Some(&long), ..facts(&home, &ok) };
        assert_eq!(err(check(&f, &s)), ("omp_name".into(), "must be at most 50 characters".into()));
    }

    #[test]
    fn royal_mail_and_yodel_rules() {
        let mut s = service();
        s.constraints.requires = carrier_rules("ROYALMAIL");
        let us = to("US", None, "10001");
        let c = Customs { shipper_eori: Some("GB000001234567".into()), ..Default::default() };
        assert_eq!(err(check(&facts(&us, &c), &s)).0, "omp_name");
        let f = OrderFacts { platform: Some("ebay"), ..facts(&us, &c) };
        assert_eq!(err(check(&f, &s)).0, "content_type");
        s.constraints.requires = carrier_rules("yodel");
        assert_eq!(err(check(&f, &s)).0, "omp_vat_number");
        let c = Customs { omp_vat_number: Some("GB123456789".into()), ..c };
        let f = OrderFacts { platform: Some("ebay"), ..facts(&us, &c) };
        assert_eq!(err(check(&f, &s)).0, "sales_order_id");
        check(&OrderFacts { platform_order_id: Some("1234567654"), ..f }, &s).unwrap();
    }

    #[test]
    fn options_on_the_services_that_offer_them() {
        let mut s = service();
        let none = Customs::default();
        let home = to("GB", None, "LS1 1AA");
        let urgent = OrderFacts { options: OrderOptions { urgent: true, ..Default::default() }, ..facts(&home, &none) };
        check(&urgent, &s).unwrap();
        s.constraints.refuses_urgent = true;
        assert_eq!(err(check(&urgent, &s)).0, "is_urgent");
        let cfd = OrderOptions { compensation_for_delay: true, ..Default::default() };
        let (field, msg) = err(check(&OrderFacts { options: cfd, ..facts(&home, &none) }, &s));
        assert_eq!((field.as_str(), msg.contains("does not offer")), ("is_compensation_for_delay", true));
        s.constraints.compensation_for_delay = true;
        s.constraints.remote_postcodes = UK_REMOTE_AREAS.iter().map(|a| a.to_string()).collect();
        check(&OrderFacts { options: cfd, ..facts(&home, &none) }, &s).unwrap();
        let isle = to("GB", None, "PA20 0AB");
        let (_, msg) = err(check(&OrderFacts { options: cfd, ..facts(&isle, &none) }, &s));
        assert!(msg.contains("remote postcode PA20 0AB (area PA20-PA49)"), "{msg}");
    }

    #[test]
    fn remote_areas_by_area_and_district_range() {
        let areas: Vec<String> = UK_REMOTE_AREAS.iter().map(|a| a.to_string()).collect();
        for (pc, area) in [
            ("HS1 2AB", Some("HS")),
            ("hs12ab", Some("HS")),
            ("PA49 9ZZ", Some("PA20-PA49")),
            ("PA50 1AA", None),
            ("PA2 1AA", None),
            ("ZE1 0AA", Some("ZE")),
            ("BT7 1NN", Some("BT")),
            ("B1 1AA", None),
            ("IV99 1AA", Some("IV")),
            ("LS1 1AA", None),
            ("", None),
        ] {
            assert_eq!(remote_area(pc, &areas), area, "{pc}");
        }
    }

    #[test]
    fn requirements_read_and_written_as_the_cli_spells_them() {
        for s in ["shipper_eori", "receiver_eori:business", "receiver_pid_number:NO,ES,IT"] {
            assert_eq!(s.parse::<Requirement>().unwrap().to_string(), s);
        }
        assert!("nonsense".parse::<Requirement>().is_err());
        assert!("content_type:Narnia".parse::<Requirement>().is_err());
    }
}
