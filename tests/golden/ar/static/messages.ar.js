window.timelineMessages = {
 "%(num)s result for “%(query)s”": {
  "few": "%(num)s نتائج لـ«%(query)s»",
  "many": "%(num)s نتيجةً لـ«%(query)s»",
  "one": "نتيجة واحدة لـ«%(query)s»",
  "other": "%(num)s نتيجة لـ«%(query)s»",
  "two": "نتيجتان لـ«%(query)s»",
  "zero": "%(num)s نتيجة لـ«%(query)s»"
 },
 "%(num)s year ago": {
  "few": "قبل %(num)s سنة",
  "many": "قبل %(num)s سنة",
  "one": "قبل %(num)s سنة",
  "other": "قبل %(num)s سنة",
  "two": "قبل %(num)s سنة",
  "zero": "قبل %(num)s سنة"
 },
 "%(year)s BCE": "%(year)s ق.م",
 "Actor": "الطرف",
 "All %(num)s result →": {
  "few": "كل النتائج (%(num)s) ←",
  "many": "كل النتائج (%(num)s) ←",
  "one": "كل النتائج (%(num)s) ←",
  "other": "كل النتائج (%(num)s) ←",
  "two": "كل النتائج (%(num)s) ←",
  "zero": "كل النتائج (%(num)s) ←"
 },
 "Browse every page": "تصفّح كل الصفحات",
 "Every event of %(name)s →": "كل أحداث %(name)s ←",
 "Every event tagged %(tag)s →": "كل الأحداث الموسومة بـ%(tag)s ←",
 "Every page is listed below.": "كل الصفحات مدرجة أدناه.",
 "No events match these filters.": "لا أحداث تطابق عوامل التصفية هذه.",
 "Nothing found for “%(query)s”.": "لا نتائج لـ«%(query)s».",
 "Search is not available in this copy of the site (its index is made by %(command)s).": "البحث غير متاح في هذه النسخة من الموقع (يُنشأ فهرسه بالأمر %(command)s).",
 "Show more results": "عرض مزيد من النتائج",
 "Showing %(num)s event of %(total)s on this page.": {
  "few": "يُعرض %(num)s أحداث من أصل %(total)s في هذه الصفحة.",
  "many": "يُعرض %(num)s حدثًا من أصل %(total)s في هذه الصفحة.",
  "one": "يُعرض حدث واحد من أصل %(total)s في هذه الصفحة.",
  "other": "يُعرض %(num)s حدث من أصل %(total)s في هذه الصفحة.",
  "two": "يُعرض حدثان من أصل %(total)s في هذه الصفحة.",
  "zero": "يُعرض %(num)s حدث من أصل %(total)s في هذه الصفحة."
 },
 "Showing %(num)s event of %(total)s.": {
  "few": "يُعرض %(num)s أحداث من أصل %(total)s.",
  "many": "يُعرض %(num)s حدثًا من أصل %(total)s.",
  "one": "يُعرض حدث واحد من أصل %(total)s.",
  "other": "يُعرض %(num)s حدث من أصل %(total)s.",
  "two": "يُعرض حدثان من أصل %(total)s.",
  "zero": "يُعرض %(num)s حدث من أصل %(total)s."
 }
};
