-- The console language a person chose (a BCP 47 tag), so that it follows them from the office
-- browser to a handheld; none until they choose (then their browser's languages decide).
ALTER TABLE users ADD COLUMN language TEXT;
