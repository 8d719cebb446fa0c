//! SKU imports on the order import's engine: the same reading, column mapping (remembered per
//! header row), template and annotated copy; the checks are a SKU's. Each row is one SKU, checked
//! as the console's "new SKU" creates it ([`NewSku::check`]: the same rules the store applies),
//! plus what only a file can get wrong: required cells, numbers, a code twice in the file, and a
//! code the client already has (skipped, never created twice). Valid rows become drafts, each on
//! its own ([`App::create_sku_once`], keyed by the code), so a file imported twice creates
//! nothing twice.

use std::collections::HashMap;

use entrepot_core::{country, ids::ClientId, money::parse_minor, sku::SkuStatus, CoreError, CoreResult};

use super::{
    annotate::annotate,
    columns::Columns,
    read::{read_sheet, Sheet, SheetRow},
    seller,
    template::sheet_template,
};
use crate::{
    types::{
        import::RowError,
        sku_import::{ImportedSku, SkuField as F, SkuImportMapping, SkuImportReport},
        skus::{NewSku, SkuCreation},
    },
    App,
};

/// Codes looked up per query.
const CODES_PER_QUERY: usize = 200;
/// Longest HS code (the console's form allows as much).
pub const MAX_HS_CODE_CHARS: usize = 20;

/// The SKU template workbook (XLSX bytes).
pub fn sku_template_xlsx() -> CoreResult<Vec<u8>> {
    sheet_template::<F>(
        "One row per SKU, at most 10,000 rows. SKUs are created as drafts: submit them for audit on the SKUs page. Other column names (your ERP's) can be mapped once; they are remembered.",
        "每行一个 SKU，最多 10,000 行。SKU 以草稿创建，请在 SKU 页面提交审核。其他列名（您的 ERP 导出）可映射一次，系统会记住。",
    )
}

/// A row that passed every check, ready to create.
struct Candidate {
    row: usize,
    new: NewSku,
}

/// A whole number of a sheet (`350.0` as a sheet may type it); empty is 0 (not measured yet).
fn whole(s: &str) -> Result<i64, String> {
    if s.is_empty() {
        return Ok(0);
    }
    s.parse::<i64>()
        .ok()
        .or_else(|| {
            let f = s.parse::<f64>().ok()?;
            // Whole and small: exact as an i64.
            (f.is_finite() && f.fract() == 0.0 && f.abs() <= 1e12).then_some(f as i64)
        })
        .ok_or_else(|| format!("'{s}' is not a whole number"))
}

/// The field of a refusal by the SKU's own checks, to name its column.
fn field_of(e: &CoreError) -> Option<F> {
    match e.innermost() {
        CoreError::Validation { field, .. } => match field.as_str() {
            "seller_sku" => Some(F::SellerSku),
            "name" => Some(F::NameEn),
            "weight" => Some(F::WeightG),
            "length" => Some(F::LengthMm),
            "width" => Some(F::WidthMm),
            "height" => Some(F::HeightMm),
            "declared_value" | "amount" => Some(F::DeclaredValue),
            _ => None,
        },
        _ => None,
    }
}

fn message_of(e: &CoreError) -> String {
    match e.innermost() {
        CoreError::Validation { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// One row's problems.
struct Errors<'a> {
    cols: &'a Columns<F>,
    row: usize,
    code: Option<String>,
    out: Vec<RowError>,
}

impl Errors<'_> {
    fn add(&mut self, field: Option<F>, message: impl Into<String>) {
        self.out.push(RowError {
            row: self.row,
            column: field.map(|f| self.cols.name(f)),
            reference: self.code.clone(),
            message: message.into(),
        });
    }
}

/// Reads one row into the SKU it creates, or its errors.
fn check_row(
    client: &ClientId,
    row: &SheetRow,
    cols: &Columns<F>,
    currency: &entrepot_core::money::Currency,
    errs: &mut Errors<'_>,
) -> Option<NewSku> {
    let get = |f: F| cols.of(f).map_or("", |k| row.cell(k));
    let opt = |f: F| Some(get(f)).filter(|s| !s.is_empty()).map(str::to_owned);
    for f in [F::SellerSku, F::NameEn] {
        if get(f).is_empty() {
            errs.add(Some(f), "is required");
        }
    }
    let mut number = |f: F| whole(get(f)).map_err(|m| errs.add(Some(f), m)).unwrap_or(0);
    let (weight_g, length_mm, width_mm, height_mm) =
        (number(F::WeightG), number(F::LengthMm), number(F::WidthMm), number(F::HeightMm));
    let declared_value = match get(F::DeclaredValue) {
        "" => 0,
        v => parse_minor(v, currency.exponent())
            .map_err(|e| errs.add(Some(F::DeclaredValue), message_of(&e)))
            .unwrap_or(0),
    };
    let hs_code = opt(F::HsCode);
    if hs_code.as_ref().is_some_and(|h| h.chars().count() > MAX_HS_CODE_CHARS) {
        errs.add(Some(F::HsCode), format!("is at most {MAX_HS_CODE_CHARS} characters"));
    }
    let typed = get(F::OriginCountry);
    if !typed.is_empty() && (typed.len() != 2 || country::by_code(typed).is_none()) {
        let hint = country::by_name(typed).map(|x| format!(": write its code, {}", x.iso2)).unwrap_or_default();
        errs.add(Some(F::OriginCountry), format!("'{typed}' is not an ISO 3166-1 two-letter code{hint}"));
    }
    let origin = opt(F::OriginCountry).map(|c| c.to_ascii_uppercase());
    if !errs.out.is_empty() {
        return None;
    }
    let new = NewSku {
        seller_sku: get(F::SellerSku).to_owned(),
        reference_sku: None,
        name_en: get(F::NameEn).to_owned(),
        name_cn: opt(F::NameCn),
        weight_g,
        length_mm,
        width_mm,
        height_mm,
        declared_value,
        declared_currency: currency.as_str().to_owned(),
        hs_code,
        origin_country: origin,
        properties: vec![],
        image_url: None,
        // As the console's "new SKU" makes it: the seller submits it for audit when complete.
        status: SkuStatus::Draft,
    };
    if let Err(e) = new.check(client) {
        errs.add(field_of(&e), message_of(&e));
        return None;
    }
    Some(new)
}

impl App {
    /// Imports the SKUs of a seller's sheet (`bytes`, XLSX or CSV; `file_name` names it in the
    /// report). Every row is checked; with `dry_run` nothing is written (a given mapping aside,
    /// which is remembered for the file's headers), otherwise each good row is created as a
    /// draft, and rows whose code the client already has are skipped.
    pub async fn import_skus(
        &self,
        actor: &entrepot_core::actor::Actor,
        file_name: &str,
        bytes: &[u8],
        mapping: Option<SkuImportMapping>,
        dry_run: bool,
    ) -> CoreResult<SkuImportReport> {
        let client = seller(actor)?.clone();
        let sheet = read_sheet(file_name, bytes)?;
        let (cols, source) = self.columns_for::<F>(&client, &sheet, mapping.as_ref()).await?;
        let currency = self.client(&client).await?.currency;
        let mut report = SkuImportReport {
            file_name: file_name.to_owned(),
            dry_run,
            rows: sheet.rows.len(),
            errors: vec![],
            created: vec![],
            already_present: vec![],
            refused: vec![],
            mapping: cols.mapping(),
            mapping_source: source,
        };
        let existing = self.existing_skus(&client, &sheet, &cols).await?;
        // The first row of each code (case folded, as orders match codes).
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut good: Vec<Candidate> = vec![];
        for row in &sheet.rows {
            let code = cols.of(F::SellerSku).map_or("", |k| row.cell(k));
            let folded = code.to_lowercase();
            let mut errs = Errors {
                cols: &cols,
                row: row.number,
                code: Some(code.to_owned()).filter(|c| !c.is_empty()),
                out: vec![],
            };
            if !code.is_empty() {
                if let Some(first) = seen.get(&folded) {
                    errs.add(Some(F::SellerSku), format!("'{code}' is also on row {first}: a code once per file"));
                    report.errors.extend(errs.out);
                    report.refused.push(row.number);
                    continue;
                }
                seen.insert(folded.clone(), row.number);
                if let Some(s) = existing.get(&folded) {
                    report.already_present.push(ImportedSku {
                        seller_sku: s.seller_sku.clone(),
                        row: row.number,
                        id: Some(s.id),
                        mfskuid: Some(s.mfskuid.clone()),
                        status: Some(s.status),
                    });
                    continue;
                }
            }
            match check_row(&client, row, &cols, &currency, &mut errs) {
                Some(new) if errs.out.is_empty() => good.push(Candidate { row: row.number, new }),
                _ => {
                    report.errors.extend(errs.out);
                    report.refused.push(row.number);
                }
            }
        }
        if dry_run {
            report.created = good
                .into_iter()
                .map(|c| ImportedSku {
                    seller_sku: c.new.seller_sku,
                    row: c.row,
                    id: None,
                    mfskuid: None,
                    status: None,
                })
                .collect();
            return Ok(report);
        }
        for c in good {
            let code = c.new.seller_sku.clone();
            match self.create_sku_once(&client, c.new, None).await {
                Ok(made) => {
                    let (list, s) = match made {
                        SkuCreation::Created(s) => (&mut report.created, s),
                        // Created meanwhile (another import of the same file).
                        SkuCreation::Exists(s) => (&mut report.already_present, s),
                    };
                    list.push(ImportedSku {
                        seller_sku: s.seller_sku,
                        row: c.row,
                        id: Some(s.id),
                        mfskuid: Some(s.mfskuid),
                        status: Some(s.status),
                    });
                }
                Err(CoreError::Internal) => return Err(CoreError::Internal),
                Err(e) => {
                    report.errors.push(RowError {
                        row: c.row,
                        column: field_of(&e).map(|f| cols.name(f)),
                        reference: Some(code),
                        message: message_of(&e),
                    });
                    report.refused.push(c.row);
                }
            }
        }
        report.errors.sort_by_key(|e| e.row);
        Ok(report)
    }

    /// The SKU file sent back with an Error column beside each bad row (a dry run's findings).
    pub async fn annotate_sku_import(
        &self,
        actor: &entrepot_core::actor::Actor,
        file_name: &str,
        bytes: &[u8],
        mapping: Option<SkuImportMapping>,
    ) -> CoreResult<Vec<u8>> {
        let report = self.import_skus(actor, file_name, bytes, mapping, true).await?;
        annotate(&read_sheet(file_name, bytes)?, "SKUs", &report.errors, &[])
    }

    /// The client's SKUs among the sheet's codes, by lower-cased code (codes typed in another
    /// case than stored are the same SKU, as order imports read them).
    async fn existing_skus(
        &self,
        client: &ClientId,
        sheet: &Sheet,
        cols: &Columns<F>,
    ) -> CoreResult<HashMap<String, entrepot_core::sku::Sku>> {
        let Some(k) = cols.of(F::SellerSku) else { return Ok(HashMap::new()) };
        let mut codes: Vec<String> = sheet
            .rows
            .iter()
            .map(|r| r.cell(k))
            .filter(|c| !c.is_empty())
            .flat_map(|c| [c.to_owned(), c.to_uppercase(), c.to_lowercase()])
            .collect();
        codes.sort();
        codes.dedup();
        let mut found = HashMap::new();
        for chunk in codes.chunks(CODES_PER_QUERY) {
            for s in self.storage.skus_by_seller_skus(client, chunk).await? {
                found.insert(s.seller_sku.to_lowercase(), s);
            }
        }
        Ok(found)
    }
}
