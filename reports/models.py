"""Reports are rendered from the other apps' data; this app holds no tables yet."""
