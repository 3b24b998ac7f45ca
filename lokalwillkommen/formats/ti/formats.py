"""Date and time formats for Tigrinya, which Django does not ship: numbers only, as Django
has no Tigrinya names of months and weekdays (the portal's own catalogue names weekdays)."""

DATE_FORMAT = "j/n/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j/n/Y H:i"
SHORT_DATE_FORMAT = "j/n/Y"
SHORT_DATETIME_FORMAT = "j/n/Y H:i"
MONTH_DAY_FORMAT = "j/n"
YEAR_MONTH_FORMAT = "n/Y"
FIRST_DAY_OF_WEEK = 1
