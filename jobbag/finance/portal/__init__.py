"""The finance portal pages, under /portal/ in the portal namespace."""
