"""a source's last error as a code and its detail, translated when shown

Revision ID: 0010_source_error_codes
Revises: 0009_short_links
Create Date: 2026-12-02 09:00:00

The Indonesian sentences stored until now are turned back into their codes; a sentence that is
not one of them is kept as the detail of the code "other" (shown as it is).
"""
import re

import sqlalchemy as sa
from alembic import op

revision = '0010_source_error_codes'
down_revision = '0009_short_links'
branch_labels = None
depends_on = None

SENTENCES = {
    "Waktu habis: server sumber tidak menjawab tepat waktu.": "timeout",
    "Alamat server tidak ditemukan (nama domain tidak dikenal).": "dns",
    "Tidak dapat terhubung ke server sumber.": "connection",
    "Sambungan aman (HTTPS) ke server sumber gagal: sertifikatnya bermasalah.": "ssl",
    "Umpan terlalu besar (lebih dari 10 MB), tidak diambil.": "too_large",
    "Alamat ini menunjuk ke jaringan lokal/pribadi; hub tidak mengambil dari sana.": "private_address",
    "Alamat umpan tidak valid (harus diawali http:// atau https://).": "bad_url",
    "Terlalu banyak pengalihan (redirect) dari server sumber.": "too_many_redirects",
    "Sumber sudah dihapus oleh pemiliknya (410 Gone); pengambilan dihentikan.": "gone",
    "Server sumber meminta hub menunggu (terlalu banyak permintaan).": "rate_limited",
    "Server sumber sedang tidak tersedia (503).": "unavailable",
    "Umpan tidak ditemukan di alamat ini (404).": "not_found",
    "Server sumber menolak akses (403).": "forbidden",
    "Pengambilan dihentikan karena hub sedang berhenti; akan dicoba lagi.": "aborted",
    "Alamat ini bukan umpan (RSS/Atom/JSON Feed): isinya halaman web atau dokumen lain.": "not_a_feed",
    "Umpan rusak dan tidak dapat dibaca; butir yang sudah tersimpan tetap aman.": "broken_feed",
}
HTTP = re.compile(r"Server sumber menjawab dengan galat HTTP (\d+)\.")

source = sa.table('source', sa.column('id', sa.Integer()), sa.column('last_error', sa.Text()),
                  sa.column('last_error_code', sa.String(32)), sa.column('last_error_detail', sa.String(300)))


def upgrade():
    op.add_column('source', sa.Column('last_error_code', sa.String(length=32), nullable=True))
    op.add_column('source', sa.Column('last_error_detail', sa.String(length=300), nullable=True))
    conn = op.get_bind()
    for row_id, sentence in conn.execute(sa.select(source.c.id, source.c.last_error)
                                         .where(source.c.last_error.is_not(None))).all():
        code, detail = SENTENCES.get(sentence), None
        if code is None:
            match = HTTP.fullmatch(sentence)
            code, detail = ("http", match.group(1)) if match else ("other", sentence[:300])
        conn.execute(source.update().where(source.c.id == row_id).values(last_error_code=code,
                                                                          last_error_detail=detail))
    # a plain ALTER TABLE on both databases: SQLite (3.35+) drops the column in place, where a
    # batch copy of the table would trip over the items that point at it
    op.drop_column('source', 'last_error')


def downgrade():
    op.add_column('source', sa.Column('last_error', sa.Text(), nullable=True))
    conn = op.get_bind()
    codes = {code: sentence for sentence, code in SENTENCES.items()}
    for row_id, code, detail in conn.execute(sa.select(source.c.id, source.c.last_error_code,
                                                       source.c.last_error_detail)
                                             .where(source.c.last_error_code.is_not(None))).all():
        sentence = (f"Server sumber menjawab dengan galat HTTP {detail}." if code == "http"
                    else codes.get(code, detail or code))
        conn.execute(source.update().where(source.c.id == row_id).values(last_error=sentence))
    op.drop_column('source', 'last_error_detail')
    op.drop_column('source', 'last_error_code')
