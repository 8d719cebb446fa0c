//! Every word the console shows, in Simplified Chinese and English (Project Fluent files under
//! `locales/`, CLDR plural rules), and the warehouse staff's screens in German too (a message
//! German lacks is shown in English). A person's language is the one they chose (a cookie set by
//! the switch in the page header), else the first of their browser's languages that we speak,
//! else English.

use std::sync::LazyLock;

use axum::http::{header, HeaderMap};
use fluent_bundle::{concurrent::FluentBundle, FluentArgs, FluentResource, FluentValue};

/// The cookie holding a chosen language.
pub const LANG_COOKIE: &str = "entrepot_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
    /// The staff's screens; seller pages fall back to English where German has no message.
    De,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Zh, Lang::De];
    /// The languages every message exists in.
    pub const COMPLETE: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The BCP 47 tag, for `<html lang>` and the cookie.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
            Lang::De => "de",
        }
    }

    /// The language's own name, for the switch.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "简体中文",
            Lang::De => "Deutsch",
        }
    }

    /// Reads a tag loosely: `zh`, `zh-CN`, `zh-Hans-CN` are Chinese; `en-GB` is English.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            "de" => Some(Lang::De),
            _ => None,
        }
    }

    /// The chosen language (cookie), else the browser's best that we speak, else English.
    pub fn of_request(headers: &HeaderMap) -> Lang {
        let chosen = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().split_once('='))
            .find(|(k, _)| *k == LANG_COOKIE)
            .and_then(|(_, v)| Lang::from_tag(v));
        chosen
            .or_else(|| headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Self::accepted))
            .unwrap_or(Lang::En)
    }

    /// The best language of an `Accept-Language` value that we speak (by `q`, then order).
    fn accepted(value: &str) -> Option<Lang> {
        let mut best: Option<(u16, Lang)> = None;
        for part in value.split(',').take(32) {
            let mut it = part.split(';');
            let Some(lang) = it.next().and_then(Lang::from_tag) else { continue };
            let q = it
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .map(|q| (q.clamp(0.0, 1.0) * 1000.0) as u16)
                .unwrap_or(1000);
            if q > 0 && best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l)
    }

    fn source(self) -> &'static str {
        match self {
            Lang::En => include_str!("../locales/en.ftl"),
            Lang::Zh => include_str!("../locales/zh-CN.ftl"),
            Lang::De => include_str!("../locales/de.ftl"),
        }
    }
}

type Bundle = FluentBundle<FluentResource>;

static BUNDLES: LazyLock<Vec<(Lang, Bundle)>> = LazyLock::new(|| {
    Lang::ALL
        .iter()
        .map(|&lang| {
            let id = lang.tag().parse().unwrap_or_default();
            let mut bundle = Bundle::new_concurrent(vec![id]);
            // No Unicode isolation marks around arguments: they show as boxes in some fonts.
            bundle.set_use_isolating(false);
            let resource = FluentResource::try_new(lang.source().to_owned()).unwrap_or_else(|(r, errors)| {
                tracing::error!(lang = lang.tag(), ?errors, "console translations have errors");
                r
            });
            if let Err(errors) = bundle.add_resource(resource) {
                tracing::error!(lang = lang.tag(), ?errors, "console translations clash");
            }
            (lang, bundle)
        })
        .collect()
});

/// The key naming a core state (see [`Tr::state`]).
fn state_key(prefix: &str, stored: &str) -> String {
    format!("{prefix}-{}", stored.to_ascii_lowercase().replace('_', "-"))
}

/// The translator a page renders with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tr(pub Lang);

impl Tr {
    pub fn lang(&self) -> Lang {
        self.0
    }

    /// The message `key` (its key itself when missing: the parity test keeps that from shipping).
    pub fn t(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// The name of a core state: the message `prefix-state`, the state's stored name in lower
    /// case with dashes (`status-wait-picking`).
    pub fn state(&self, prefix: &str, stored: &str) -> String {
        self.t(&state_key(prefix, stored))
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &str, value: impl Into<FluentValue<'static>>) -> String {
        let mut args = FluentArgs::new();
        args.set(name.to_owned(), value.into());
        self.format(key, Some(&args))
    }

    /// The message `key` with two arguments.
    pub fn t2(
        &self,
        key: &str,
        a: (&str, impl Into<FluentValue<'static>>),
        b: (&str, impl Into<FluentValue<'static>>),
    ) -> String {
        let mut args = FluentArgs::new();
        args.set(a.0.to_owned(), a.1.into());
        args.set(b.0.to_owned(), b.1.into());
        self.format(key, Some(&args))
    }

    /// The message `key` with whole-number arguments.
    pub fn tn(&self, key: &str, args: &[(&str, i64)]) -> String {
        let mut a = FluentArgs::new();
        for (k, v) in args {
            a.set((*k).to_owned(), FluentValue::from(*v));
        }
        self.format(key, Some(&a))
    }

    fn format(&self, key: &str, args: Option<&FluentArgs>) -> String {
        let bundle = |lang: Lang| BUNDLES.iter().find(|(l, _)| *l == lang).map(|(_, b)| b);
        let message =
            |lang: Lang| bundle(lang).and_then(|b| b.get_message(key).and_then(|m| m.value()).map(|p| (b, p)));
        // German covers the staff's screens; the rest is shown in English.
        let found = message(self.0).or_else(|| if self.0 == Lang::De { message(Lang::En) } else { None });
        let Some((bundle, pattern)) = found else {
            tracing::warn!(key, lang = self.0.tag(), "console message missing");
            return key.to_owned();
        };
        let mut errors = vec![];
        let text = bundle.format_pattern(pattern, args, &mut errors).into_owned();
        if !errors.is_empty() {
            tracing::warn!(key, ?errors, "console message formatted with errors");
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn keys(src: &str) -> BTreeSet<String> {
        src.lines()
            .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
            .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_owned()))
            .collect()
    }

    #[test]
    fn every_message_exists_in_every_language_and_parses() {
        let en = keys(Lang::En.source());
        assert!(en.len() > 20);
        for lang in Lang::COMPLETE {
            assert_eq!(keys(lang.source()), en, "{lang:?} differs from English");
            assert!(FluentResource::try_new(lang.source().to_owned()).is_ok(), "{lang:?} does not parse");
            for k in &en {
                assert_ne!(Tr(lang).t(k), *k, "{lang:?}: {k} has no value");
            }
        }
    }

    /// Keys built from the core's states (a page names a state by `prefix-state`).
    #[test]
    fn every_state_has_a_name_in_every_language() {
        use entrepot_core::{
            balance::{MoneyBucket, MoneyReason},
            count::CountState,
            inbound::{DiscrepancyKind, InboundStatus},
            inventory::{Bucket, Reason},
            outbound::OutboundStatus,
            returns::{ReturnAction, ReturnStatus},
            sku::SkuStatus,
        };
        let key = state_key;
        let mut names = vec![];
        names.extend(OutboundStatus::ALL.iter().map(|s| key("status", s.as_str())));
        names.extend(
            [SkuStatus::Draft, SkuStatus::Submitted, SkuStatus::Approved, SkuStatus::Rejected]
                .iter()
                .map(|s| key("sku-status", s.as_str())),
        );
        names.extend(Bucket::HELD.iter().chain([Bucket::Outside].iter()).map(|b| key("bucket", b.as_str())));
        names.extend(Reason::ALL.iter().map(|r| key("reason", r.code())));
        names.extend(InboundStatus::ALL.iter().map(|s| key("inbound-status", s.as_str())));
        names.extend(DiscrepancyKind::ALL.iter().map(|d| key("discrepancy", d.as_str())));
        names.extend(ReturnStatus::ALL.iter().map(|s| key("return-status", s.as_str())));
        names.push(key("return-status", "EXPECTED"));
        names.extend(ReturnAction::ALL.iter().map(|a| key("return-action", a.as_str())));
        names.extend(CountState::ALL.iter().map(|s| key("count-state", s.as_str())));
        names.extend(entrepot_core::location::LocationKind::ALL.iter().map(|k| key("location-kind", k.as_str())));
        names.extend((1..=7).map(|d| format!("weekday-{d}")));
        let reasons =
            [MoneyReason::TopUp, MoneyReason::Hold, MoneyReason::Release, MoneyReason::Charge, MoneyReason::Refund];
        names.extend(reasons.iter().map(|r| key("money", r.as_str())));
        names.extend(
            MoneyBucket::HELD.iter().chain([MoneyBucket::Outside].iter()).map(|b| key("money-bucket", b.as_str())),
        );
        for lang in Lang::ALL {
            for k in &names {
                assert_ne!(Tr(lang).t(k), *k, "{lang:?} has no name for {k}");
            }
        }
        // German names every state itself, not through English.
        let de = keys(Lang::De.source());
        let missing: Vec<&String> = names.iter().filter(|k| !de.contains(*k)).collect();
        assert!(missing.is_empty(), "German lacks {missing:?}");
    }

    /// The staff's screens, whose every message German must have: their templates and the
    /// modules that render their messages.
    const STAFF_SCREENS: &[&str] = &[
        include_str!("../templates/base.html"),
        include_str!("../templates/login.html"),
        include_str!("../templates/board.html"),
        include_str!("../templates/board_table.html"),
        include_str!("../templates/count_screen.html"),
        include_str!("../templates/counts.html"),
        include_str!("../templates/dock_calendar.html"),
        include_str!("../templates/manifest_screen.html"),
        include_str!("../templates/manifests.html"),
        include_str!("../templates/packing.html"),
        include_str!("../templates/packing_screen.html"),
        include_str!("../templates/picking.html"),
        include_str!("../templates/picking_screen.html"),
        include_str!("../templates/putaway.html"),
        include_str!("../templates/putaway_screen.html"),
        include_str!("../templates/queue.html"),
        include_str!("../templates/receiving.html"),
        include_str!("../templates/receiving_screen.html"),
        include_str!("../templates/returns_screen.html"),
        include_str!("../templates/scan_form.html"),
        include_str!("../templates/sku_audit.html"),
        include_str!("../templates/unidentified.html"),
        include_str!("../templates/waves.html"),
        include_str!("../templates/warehouse_picker.html"),
        include_str!("board.rs"),
        include_str!("counts.rs"),
        include_str!("dock_calendar.rs"),
        include_str!("manifests.rs"),
        include_str!("packing.rs"),
        include_str!("picking.rs"),
        include_str!("putaway.rs"),
        include_str!("queue.rs"),
        include_str!("receiving.rs"),
        include_str!("scan.rs"),
        include_str!("floor.rs"),
        include_str!("sku_audit.rs"),
        include_str!("unidentified.rs"),
        include_str!("waves.rs"),
        include_str!("camera.rs"),
        include_str!("login.rs"),
    ];

    /// The literal message keys a source names: `t("key"`, `t1("key"` and the like.
    fn keys_named_in(src: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for (at, _) in src.match_indices("(\"") {
            let before = src[..at].chars().last();
            if !before.is_some_and(|c| c == 't' || c.is_ascii_digit() || c == 'n') {
                continue;
            }
            let rest = &src[at + 2..];
            let Some(end) = rest.find('"') else { continue };
            let key = &rest[..end];
            if key.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                out.insert(key.to_owned());
            }
        }
        out
    }

    #[test]
    fn german_has_every_message_of_the_staff_screens_and_no_other_key() {
        let en = keys(Lang::En.source());
        let de = keys(Lang::De.source());
        assert!(FluentResource::try_new(Lang::De.source().to_owned()).is_ok(), "German does not parse");
        let stray: Vec<&String> = de.difference(&en).collect();
        assert!(stray.is_empty(), "German keys English lacks: {stray:?}");
        let named: BTreeSet<String> =
            STAFF_SCREENS.iter().flat_map(|s| keys_named_in(s)).filter(|k| en.contains(k)).collect();
        assert!(named.len() > 150, "the staff screens name {} messages", named.len());
        let missing: Vec<&String> = named.iter().filter(|k| !de.contains(*k)).collect();
        assert!(missing.is_empty(), "German lacks staff messages {missing:?}");
        // Some words are the same in both (SKU, Status): most are not.
        let same: Vec<&String> = de.iter().filter(|k| Tr(Lang::De).t(k) == Tr(Lang::En).t(k)).collect();
        assert!(same.len() * 10 < de.len(), "left in English: {same:?}");
    }

    #[test]
    fn language_comes_from_the_choice_then_the_browser() {
        let mut h = HeaderMap::new();
        assert_eq!(Lang::of_request(&h), Lang::En);
        h.insert(header::ACCEPT_LANGUAGE, "fr-FR,zh-CN;q=0.8,en;q=0.5".parse().unwrap_or_else(|_| unreachable!()));
        assert_eq!(Lang::of_request(&h), Lang::Zh);
        h.insert(header::COOKIE, "a=b; entrepot_lang=en".parse().unwrap_or_else(|_| unreachable!()));
        assert_eq!(Lang::of_request(&h), Lang::En);
        assert_eq!(Lang::accepted("fr, en;q=0"), None);
        assert_eq!(Lang::accepted("de-DE, en;q=0.5"), Some(Lang::De));
        assert_eq!(Lang::accepted("en-GB;q=0.4, zh-Hans"), Some(Lang::Zh));
    }

    #[test]
    fn plurals_and_arguments_follow_each_language() {
        assert_eq!(Tr(Lang::En).t1("orders-count", "n", 1), "1 order");
        assert_eq!(Tr(Lang::En).t1("orders-count", "n", 3), "3 orders");
        assert_eq!(Tr(Lang::Zh).t1("orders-count", "n", 3), "3 个订单");
        // German has the staff's screens; a seller page's message falls back to English.
        assert_ne!(Tr(Lang::De).t("scan-empty"), Tr(Lang::En).t("scan-empty"));
        assert_eq!(Tr(Lang::De).t("balance-title"), Tr(Lang::En).t("balance-title"));
    }
}
