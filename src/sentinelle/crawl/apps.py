from django.apps import AppConfig


class CrawlConfig(AppConfig):
    name = "sentinelle.crawl"
    label = "crawl"
