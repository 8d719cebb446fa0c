-- What a dialect sends about a SKU that has no column of its own (OC's barcodes, battery details,
-- service regions, files, names in other languages...), kept as one JSON object so the ERP gets it
-- back on query. NULL for SKUs created without any.
ALTER TABLE skus ADD COLUMN oc_details TEXT;
