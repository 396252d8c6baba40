# As in English (config/formats/en): the date filter writes a day as cases.fuzzydate.format_day does,
# "8 февраля 2021", without Django's "г." that no other page or export adds.
DATE_FORMAT = "j E Y"
SHORT_DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y H:i"
SHORT_DATETIME_FORMAT = "j E Y H:i"
MONTH_DAY_FORMAT = "j E"
YEAR_MONTH_FORMAT = "F Y"
