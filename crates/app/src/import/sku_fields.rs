//! The columns of a SKU sheet: the template's headers, the names sellers' ERP exports give them
//! (English and Simplified Chinese), the template's example SKU and what each column holds.

use super::columns::SheetField;
use crate::types::sku_import::SkuField as F;

impl SheetField for F {
    const ALL: &'static [Self] = &F::ALL;
    const KIND: &'static str = "skus";
    const SHEET: &'static str = "SKUs";

    fn key(self) -> &'static str {
        F::key(self)
    }

    fn header(self) -> &'static str {
        match self {
            F::SellerSku => "SKU",
            F::NameEn => "Name (English)",
            F::NameCn => "Name (Chinese)",
            F::WeightG => "Weight (g)",
            F::LengthMm => "Length (mm)",
            F::WidthMm => "Width (mm)",
            F::HeightMm => "Height (mm)",
            F::DeclaredValue => "Declared value",
            F::HsCode => "HS code",
            F::OriginCountry => "Country of origin",
        }
    }

    fn aliases(self) -> &'static [&'static str] {
        match self {
            F::SellerSku => {
                &["sellersku", "skucode", "productsku", "sku编码", "产品sku", "产品编码", "商品编码", "商品sku", "货号"]
            }
            F::NameEn => {
                &["name", "productname", "englishname", "title", "英文名称", "英文品名", "产品英文名称", "英文名"]
            }
            F::NameCn => &["chinesename", "namezh", "中文名称", "中文品名", "产品中文名称", "中文名", "品名"],
            F::WeightG => &["weight", "weightgrams", "weightgram", "重量", "重量g", "重量克", "产品重量"],
            F::LengthMm => &["length", "长", "长度", "长mm", "长度mm"],
            F::WidthMm => &["width", "宽", "宽度", "宽mm", "宽度mm"],
            F::HeightMm => &["height", "高", "高度", "高mm", "高度mm"],
            F::DeclaredValue => &["value", "customsvalue", "declarevalue", "申报价值", "申报价格", "申报金额"],
            F::HsCode => &["hs", "hts", "customscode", "海关编码", "hs编码"],
            F::OriginCountry => &["origin", "countryoforigin", "origincountry", "原产国", "原产地"],
        }
    }

    fn required(self) -> bool {
        F::required(self)
    }

    fn example(self) -> &'static str {
        match self {
            F::SellerSku => "MUG-RED",
            F::NameEn => "Red mug",
            F::NameCn => "红色马克杯",
            F::WeightG => "350",
            F::LengthMm => "120",
            F::WidthMm => "90",
            F::HeightMm => "100",
            F::DeclaredValue => "4.50",
            F::HsCode => "6912000000",
            F::OriginCountry => "CN",
        }
    }

    fn explain(self) -> (&'static str, &'static str) {
        match self {
            F::SellerSku => (
                "Your SKU code, at most 64 characters, once per file; a code you already have is skipped.",
                "您的 SKU 编码，最多 64 个字符，每个文件中只能出现一次；已有的编码会被跳过。",
            ),
            F::NameEn => ("The product's name in English.", "产品英文名称。"),
            F::NameCn => ("The product's name in Chinese (optional).", "产品中文名称（选填）。"),
            F::WeightG => ("Weight in grams, a whole number (optional).", "重量（克），整数（选填）。"),
            F::LengthMm => ("Length in millimetres, a whole number (optional).", "长度（毫米），整数（选填）。"),
            F::WidthMm => ("Width in millimetres, a whole number (optional).", "宽度（毫米），整数（选填）。"),
            F::HeightMm => ("Height in millimetres, a whole number (optional).", "高度（毫米），整数（选填）。"),
            F::DeclaredValue => (
                "Customs value of one unit in your account's currency, e.g. 4.50 (optional).",
                "单件申报价值，使用您账户的币种，例如 4.50（选填）。",
            ),
            F::HsCode => {
                ("Customs tariff (HS) code, at most 20 characters (optional).", "海关编码，最多 20 个字符（选填）。")
            }
            F::OriginCountry => {
                ("Two-letter ISO code of the country of origin, e.g. CN (optional).", "原产国二字码，例如 CN（选填）。")
            }
        }
    }
}
