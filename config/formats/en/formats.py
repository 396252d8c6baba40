# Dates are written one way on every page, form, history row and export: "8 Feb 2021"
# (cases.fuzzydate.format_day), never "Feb. 8, 2021" or "2021-02-08". Templates that use the
# date filter get the same through these formats.
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"
SHORT_DATETIME_FORMAT = "j M Y H:i"
MONTH_DAY_FORMAT = "j M"
YEAR_MONTH_FORMAT = "M Y"
