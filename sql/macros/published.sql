-- How a measured value appears in a published table: rounded to 3 decimals (indicators.md "Rounding"), and
-- null when its cell is suppressed (privacy.md "How suppression appears").
create or replace temp macro published(suppressed, value) as
    case when not suppressed then round(value, 3) end;
