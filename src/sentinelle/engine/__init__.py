"""The scan engine: lists + indexes + hashing, for files on disk and bytes from anywhere.

Plain library code (no Django, no Scrapy); the crawler and the API call it later.
"""
