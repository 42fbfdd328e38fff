window.timelineMessages = {
 "%(num)s result for “%(query)s”": {
  "few": "%(num)s результати за запитом «%(query)s»",
  "many": "%(num)s результатів за запитом «%(query)s»",
  "one": "%(num)s результат за запитом «%(query)s»",
  "other": "%(num)s результати за запитом «%(query)s»"
 },
 "%(num)s year ago": {
  "few": "%(num)s років тому",
  "many": "%(num)s років тому",
  "one": "%(num)s років тому",
  "other": "%(num)s років тому"
 },
 "%(year)s BCE": "%(year)s до н. е.",
 "Actor": "Учасник",
 "All %(num)s result →": {
  "few": "Усі результати (%(num)s) →",
  "many": "Усі результати (%(num)s) →",
  "one": "Усі результати (%(num)s) →",
  "other": "Усі результати (%(num)s) →"
 },
 "Browse every page": "Переглянути всі сторінки",
 "Every event of %(name)s →": "Усі події: %(name)s →",
 "Every event tagged %(tag)s →": "Усі події з тегом %(tag)s →",
 "Every page is listed below.": "Усі сторінки перелічено нижче.",
 "No events match these filters.": "Жодна подія не відповідає цим фільтрам.",
 "Nothing found for “%(query)s”.": "За запитом «%(query)s» нічого не знайдено.",
 "Search is not available in this copy of the site (its index is made by %(command)s).": "У цій копії сайту пошук недоступний (його індекс створює команда %(command)s).",
 "Show more results": "Показати більше результатів",
 "Showing %(num)s event of %(total)s on this page.": {
  "few": "Показано %(num)s події з %(total)s на цій сторінці.",
  "many": "Показано %(num)s подій з %(total)s на цій сторінці.",
  "one": "Показано %(num)s подію з %(total)s на цій сторінці.",
  "other": "Показано %(num)s події з %(total)s на цій сторінці."
 },
 "Showing %(num)s event of %(total)s.": {
  "few": "Показано %(num)s події з %(total)s.",
  "many": "Показано %(num)s подій з %(total)s.",
  "one": "Показано %(num)s подію з %(total)s.",
  "other": "Показано %(num)s події з %(total)s."
 }
};
