"""KIM posts (Berita): writing, publishing and the images that go with them."""
