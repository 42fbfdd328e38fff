window.timelineMessages = {
 "%(num)s result for “%(query)s”": {
  "other": "“%(query)s” 검색 결과 %(num)s건"
 },
 "%(num)s year ago": {
  "other": "%(num)s 년 전"
 },
 "%(year)s BCE": "기원전 %(year)s",
 "Actor": "행위자",
 "All %(num)s result →": {
  "other": "결과 %(num)s건 모두 보기 →"
 },
 "Browse every page": "모든 페이지 둘러보기",
 "Every event of %(name)s →": "%(name)s 관련 사건 전체 보기 →",
 "Every event tagged %(tag)s →": "%(tag)s 태그 사건 전체 보기 →",
 "Every page is listed below.": "모든 페이지가 아래에 나열되어 있습니다.",
 "No events match these filters.": "이 필터에 맞는 사건이 없습니다.",
 "Nothing found for “%(query)s”.": "“%(query)s”에 대한 검색 결과가 없습니다.",
 "Search is not available in this copy of the site (its index is made by %(command)s).": "이 사이트 사본에서는 검색을 사용할 수 없습니다(검색 색인은 %(command)s 명령으로 만듭니다).",
 "Show more results": "결과 더 보기",
 "Showing %(num)s event of %(total)s on this page.": {
  "other": "이 페이지의 사건 %(total)s건 중 %(num)s건을 표시합니다."
 },
 "Showing %(num)s event of %(total)s.": {
  "other": "사건 %(total)s건 중 %(num)s건을 표시합니다."
 }
};
