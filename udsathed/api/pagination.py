from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """`?page=` and `?page_size=` (up to 100); 20 a page, as the pages show."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
