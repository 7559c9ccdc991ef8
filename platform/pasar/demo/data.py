"""The demo content: per reference tenant, a buyer, three shops that fit the market and a dozen
products written in every language the tenant offers.

Everything here is plain data checked by ``tests/demo``: every product has a title and a
description in each of its tenant's locales, every category a name in each, SKUs are unique per
tenant, stock is 20–200, rupiah and dong prices are whole thousands. Shop names, people and
addresses are invented; KYC numbers only have the shape the region plugins' patterns ask for,
and bank accounts pass the sandbox payout providers' checks (IBAN check digits computed, US
routing numbers with a valid ABA check digit). Nothing here is a regional fact, so no value
carries a source ID.

Tax categories follow ``pasar.contracts.TAX_CATEGORIES``: adults' clothes ``clothing``,
children's ``childrens_clothing``, books ``books``, groceries ``food``, a designer handbag
``luxury``, everything else (cosmetics, home goods, a phone charger) ``standard``.
"""
from __future__ import annotations

import unicodedata
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from pasar.contracts import BankAccount

#: The one password of every demo account (operator, buyers, shop owners). ``pasar demo seed``
#: prints it with the logins: never seed a database that serves real users.
DEMO_PASSWORD = "pasar-demo-2026"
OPERATOR_EMAIL = "operator@pasar.example"
OPERATOR_NAME = "Pasar Demo Operator"
STOCK_RANGE = (20, 200)

Texts = Mapping[str, tuple[str, str]]  # locale → (title, description)


def buyer_email(code: str) -> str:
    return f"buyer@{code}.pasar.example"


def seller_email(code: str, number: int) -> str:
    """The owner of the tenant's shop number ``number`` (1-based)."""
    return f"seller{number}@{code}.pasar.example"


@dataclass(frozen=True)
class Shop:
    """A seller as it registers: shop and legal name, owner, KYC, payout account, ship-from."""

    name: str
    legal_name: str
    business_type: str  # company | individual | household
    owner: str  # the owner's display name
    kyc: Mapping[str, str]
    bank: BankAccount
    address: Mapping[str, str]  # shipping.ADDRESS_FIELDS except name and country


@dataclass(frozen=True)
class VariantSeed:
    sku: str
    price: str  # in the tenant's currency, as a seller types it
    stock: int
    options: Mapping[str, str]


@dataclass(frozen=True)
class ProductSeed:
    key: str  # unique per tenant; the SKUs start with it
    shop: int  # index into TenantDemo.shops
    category: str  # a CATEGORY slug
    tax_category: str
    parcel: tuple[int, int, int, int]  # grams, length, width, height (cm)
    texts: Texts
    variants: tuple[VariantSeed, ...]

    def title(self, locale: str) -> str:
        return self.texts[locale][0]


@dataclass(frozen=True)
class TenantDemo:
    code: str
    buyer: str  # the demo buyer's display name
    shops: tuple[Shop, Shop, Shop]
    products: tuple[ProductSeed, ...]


# --- building blocks ----------------------------------------------------------------------------
def ascii_text(text: str) -> str:
    """``text`` without accents and without what ASCII cannot spell (``"Đầm"`` → ``"Dam"``;
    Thai script → ``""``), spaces collapsed."""
    text = text.replace("Đ", "D").replace("đ", "d").replace("ß", "ss")
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return " ".join(folded.split())


def sku_part(text: str) -> str:
    """Letters and digits of ``text`` in ASCII upper case (``"2–3 tahun"`` → ``"23TAHUN"``)."""
    return "".join(ch for ch in ascii_text(text).upper() if ch.isalnum())


def stock_for(sku: str) -> int:
    """A stable, varied stock level inside ``STOCK_RANGE`` (the same on every run)."""
    low, high = STOCK_RANGE
    return low + zlib.crc32(sku.encode("utf-8")) % (high - low + 1)


def product(
    code: str, key: str, shop: int, category: str, tax_category: str, price: str,
    parcel: tuple[int, int, int, int], texts: Texts, *,
    sizes: Sequence[str] = (), colours: Sequence[tuple[str, str]] = (),
) -> ProductSeed:
    """A product with one variant per size × colour (``colours`` as ``(SKU code, name)``),
    or a single variant when it has neither."""
    stem = f"{code}-{key}".upper()
    variants = []
    for size in sizes or (None,):
        for colour in colours or (None,):
            options: dict[str, str] = {}
            parts = [stem]
            if size is not None:
                options["size"] = size
                parts.append(sku_part(size))
            if colour is not None:
                options["colour"] = colour[1]
                parts.append(colour[0])
            sku = "-".join(parts)
            variants.append(VariantSeed(sku, price, stock_for(sku), MappingProxyType(options)))
    return ProductSeed(key, shop, category, tax_category, parcel, MappingProxyType(dict(texts)), tuple(variants))


def _address(line1: str, city: str, region: str, postal_code: str, phone: str, line2: str = "") -> Mapping[str, str]:
    return MappingProxyType({"line1": line1, "line2": line2, "city": city, "region": region,
                             "postal_code": postal_code, "phone": phone})


# --- categories ---------------------------------------------------------------------------------
#: English locales; the UK and Ireland say "Children" and "Food & Drink" where others say "Kids"
#: and "Food" (given as locale-specific names below).
_ENGLISH = ("en_ID", "en_MY", "en_PH", "en_SG", "en_US", "en_GB", "en_IE")
#: Locales whose name is the one given for their language (``"fil"`` for ``fil_PH``).
_ONE_PER_LANGUAGE = ("id_ID", "ms_MY", "th_TH", "vi_VN", "fil_PH", "de_DE", "fr_FR", "it_IT", "nl_NL")


def _names(by_language: Mapping[str, str], **specific: str) -> Mapping[str, str]:
    """Names for every reference locale from one per language (``en``, ``es``), plus
    locale-specific ones (``en_GB="Children"``)."""
    names = {locale: by_language["en"] for locale in _ENGLISH}
    names.update({locale: by_language[locale.split("_")[0]] for locale in _ONE_PER_LANGUAGE})
    names["es_ES"] = names["es_US"] = by_language["es"]
    names.update(specific)
    return MappingProxyType(names)


def _category(parent: str | None, by_language: Mapping[str, str], **specific: str) -> tuple[str | None, Mapping[str, str]]:
    return parent, _names(by_language, **specific)


#: slug → (parent slug, name per locale), in display order.
CATEGORIES: Mapping[str, tuple[str | None, Mapping[str, str]]] = MappingProxyType({
    "fashion": _category(None, {
        "en": "Fashion", "id": "Fesyen", "ms": "Fesyen", "th": "แฟชั่น", "vi": "Thời trang", "fil": "Fashion",
        "de": "Mode", "fr": "Mode", "es": "Moda", "it": "Moda", "nl": "Mode"}),
    "fashion-women": _category("fashion", {
        "en": "Women", "id": "Wanita", "ms": "Wanita", "th": "ผู้หญิง", "vi": "Nữ", "fil": "Pambabae",
        "de": "Damen", "fr": "Femme", "es": "Mujer", "it": "Donna", "nl": "Dames"}),
    "fashion-men": _category("fashion", {
        "en": "Men", "id": "Pria", "ms": "Lelaki", "th": "ผู้ชาย", "vi": "Nam", "fil": "Panlalaki",
        "de": "Herren", "fr": "Homme", "es": "Hombre", "it": "Uomo", "nl": "Heren"}),
    "fashion-kids": _category("fashion", {
        "en": "Kids", "id": "Anak", "ms": "Kanak-kanak", "th": "เด็ก", "vi": "Trẻ em", "fil": "Pambata",
        "de": "Kinder", "fr": "Enfant", "es": "Infantil", "it": "Bambini", "nl": "Kinderen"},
        en_GB="Children", en_IE="Children", es_US="Niños"),
    "beauty": _category(None, {
        "en": "Beauty", "id": "Kecantikan", "ms": "Kecantikan", "th": "ความงาม", "vi": "Làm đẹp",
        "fil": "Kagandahan", "de": "Beauty & Pflege", "fr": "Beauté", "es": "Belleza", "it": "Bellezza",
        "nl": "Beauty & verzorging"}),
    "home": _category(None, {
        "en": "Home", "id": "Rumah Tangga", "ms": "Rumah", "th": "บ้านและของแต่งบ้าน", "vi": "Nhà cửa",
        "fil": "Bahay", "de": "Wohnen", "fr": "Maison", "es": "Hogar", "it": "Casa", "nl": "Wonen"}),
    "books": _category(None, {
        "en": "Books", "id": "Buku", "ms": "Buku", "th": "หนังสือ", "vi": "Sách", "fil": "Mga Aklat",
        "de": "Bücher", "fr": "Livres", "es": "Libros", "it": "Libri", "nl": "Boeken"}),
    "food": _category(None, {
        "en": "Food", "id": "Makanan & Minuman", "ms": "Makanan", "th": "อาหาร", "vi": "Thực phẩm",
        "fil": "Pagkain", "de": "Lebensmittel", "fr": "Épicerie", "es": "Alimentación", "it": "Alimentari",
        "nl": "Eten & drinken"},
        en_GB="Food & Drink", en_IE="Food & Drink", es_US="Alimentos"),
    "electronics": _category(None, {
        "en": "Electronics", "id": "Elektronik", "ms": "Elektronik", "th": "อิเล็กทรอนิกส์", "vi": "Điện tử",
        "fil": "Electronics", "de": "Elektronik", "fr": "High-tech", "es": "Electrónica", "it": "Elettronica",
        "nl": "Elektronica"}),
})


# --- Southeast Asia -----------------------------------------------------------------------------
def _indonesia() -> TenantDemo:
    def p(*args: Any, **kwargs: Any) -> ProductSeed:
        return product("id", *args, **kwargs)

    shops = (
        Shop("Toko Batik Sari", "CV Batik Sari Surakarta", "company", "Sari Wulandari",
             {"nib": "9120304561782", "npwp": "013456789526000"},
             BankAccount("CV Batik Sari Surakarta", "0153827461", "014"),
             _address("Jl. Dr. Rajiman No. 245, Laweyan", "Surakarta", "Jawa Tengah", "57148", "+62 271 712345")),
        Shop("Griya Ayu Nusantara", "PT Griya Ayu Nusantara", "company", "Ayu Pratiwi",
             {"nib": "8120015243968", "npwp": "0215678934073000"},
             BankAccount("PT Griya Ayu Nusantara", "1370012845693", "008"),
             _address("Jl. Braga No. 58", "Bandung", "Jawa Barat", "40111", "+62 22 4201234")),
        Shop("Kios Makmur Jaya", "PT Makmur Jaya Sentosa", "company", "Budi Santoso",
             {"nib": "9120209876543", "npwp": "031234567041000"},
             BankAccount("PT Makmur Jaya Sentosa", "0427365189", "009"),
             _address("Jl. Mangga Dua Raya No. 12, Blok C", "Jakarta Utara", "DKI Jakarta", "14430", "+62 21 6123456")),
    )
    products = (
        p("batik-dress", 0, "fashion-women", "clothing", "289000", (350, 30, 25, 4), {
            "id_ID": ("Dress Batik Parang Lengan Pendek",
                      "Dress katun primisima dengan motif parang klasik, dicap dan diwarnai dengan tangan di "
                      "Laweyan, Solo. Potongan A-line yang jatuh tepat di bawah lutut, adem dipakai seharian, "
                      "dengan ritsleting di punggung."),
            "en_ID": ("Short-Sleeved Parang Batik Dress",
                      "A fine primisima cotton dress in the classic parang pattern, hand-stamped and dyed in "
                      "Laweyan, Solo. An A-line cut that falls just below the knee, cool enough for all-day "
                      "wear, with a back zipper."),
        }, sizes=("S", "M", "L", "XL"), colours=(("SGN", "Cokelat Sogan"), ("IND", "Biru Indigo"))),
        p("kebaya", 0, "fashion-women", "clothing", "349000", (300, 30, 25, 4), {
            "id_ID": ("Kebaya Kutubaru Brokat",
                      "Kebaya kutubaru dari brokat lembut dengan furing katun, cocok untuk kondangan, wisuda, "
                      "atau acara keluarga. Padukan dengan kain batik untuk tampilan anggun tanpa ribet."),
            "en_ID": ("Brocade Kutubaru Kebaya",
                      "A kutubaru kebaya in soft brocade with a cotton lining, just right for weddings, "
                      "graduations and family gatherings. Pair it with a batik cloth for an elegant, "
                      "effortless look."),
        }, sizes=("S", "M", "L"), colours=(("MRN", "Merah Marun"), ("HBT", "Hijau Botol"))),
        p("kawung-shirt", 0, "fashion-men", "clothing", "325000", (320, 32, 26, 4), {
            "id_ID": ("Kemeja Batik Pria Lengan Panjang Motif Kawung",
                      "Kemeja batik cap motif kawung dari katun, lengkap dengan furing agar tidak menerawang. "
                      "Pas untuk ke kantor di hari Jumat maupun ke acara resmi."),
            "en_ID": ("Men's Long-Sleeved Kawung Batik Shirt",
                      "A stamped batik shirt in the kawung motif, cotton with a full lining so it never looks "
                      "sheer. Smart enough for Batik Friday at the office or a formal event."),
        }, sizes=("M", "L", "XL", "XXL"), colours=(("BRN", "Cokelat"), ("NVY", "Biru Dongker"))),
        p("sarong", 0, "fashion-men", "clothing", "185000", (400, 30, 20, 5), {
            "id_ID": ("Sarung Tenun Samarinda",
                      "Sarung khas Samarinda bermotif kotak-kotak, ditenun perajin Samarinda Seberang dengan "
                      "alat tenun bukan mesin. Kainnya rapat namun tetap adem, nyaman untuk salat maupun "
                      "bersantai di rumah."),
            "en_ID": ("Samarinda Handwoven Sarong",
                      "A checked sarong from Samarinda, woven on hand looms by craftspeople in Samarinda "
                      "Seberang. Tightly woven yet breathable, comfortable for prayers or relaxing at home."),
        }, colours=(("HJU", "Hijau"), ("UNG", "Ungu"))),
        p("kids-batik-set", 0, "fashion-kids", "childrens_clothing", "129000", (200, 25, 20, 3), {
            "id_ID": ("Setelan Batik Anak Motif Parang",
                      "Setelan kemeja dan celana pendek batik untuk anak, dari katun yang lembut di kulit. "
                      "Pinggang celananya berkaret sehingga si kecil mudah memakainya sendiri."),
            "en_ID": ("Kids' Parang Batik Set",
                      "A batik shirt and shorts set for children in cotton that is gentle on the skin. The "
                      "shorts have an elastic waist, so little ones can dress themselves."),
        }, sizes=("2–3 tahun", "4–5 tahun", "6–7 tahun")),
        p("body-scrub", 1, "beauty", "standard", "65000", (250, 10, 10, 8), {
            "id_ID": ("Lulur Mandi Tradisional Bengkuang 200 g",
                      "Lulur racikan resep keraton dari bengkuang, beras, dan kunyit untuk mengangkat sel kulit "
                      "mati. Kulit terasa halus dan tampak cerah bila dipakai rutin dua kali seminggu."),
            "en_ID": ("Traditional Yam Bean Body Scrub, 200 g",
                      "A royal-court recipe of yam bean (bengkuang), rice and turmeric that gently lifts dead "
                      "skin. Skin feels smooth and looks brighter with regular use twice a week."),
        }),
        p("candlenut-oil", 1, "beauty", "standard", "45000", (150, 5, 5, 14), {
            "id_ID": ("Minyak Kemiri untuk Rambut 100 ml",
                      "Minyak kemiri murni yang diolah secara tradisional untuk merawat rambut agar tampak lebih "
                      "tebal dan hitam berkilau. Oleskan ke kulit kepala, pijat perlahan, lalu diamkan semalaman."),
            "en_ID": ("Candlenut Hair Oil, 100 ml",
                      "Pure, traditionally pressed candlenut oil to help hair look thicker, darker and glossy. "
                      "Massage gently into the scalp and leave on overnight."),
        }),
        p("lurik-tablecloth", 1, "home", "standard", "159000", (500, 30, 25, 4), {
            "id_ID": ("Taplak Meja Tenun Lurik 150 × 150 cm",
                      "Taplak meja dari kain lurik tenunan Klaten dengan motif garis khas yang hangat. Bisa "
                      "dicuci dengan mesin dan warnanya tidak mudah pudar."),
            "en_ID": ("Lurik Woven Tablecloth, 150 × 150 cm",
                      "A tablecloth in lurik cloth woven in Klaten, with its warm signature stripes. Machine "
                      "washable and colorfast."),
        }),
        p("kasongan-cups", 1, "home", "standard", "120000", (1200, 25, 25, 15), {
            "id_ID": ("Set Cangkir Gerabah Kasongan (4 pcs)",
                      "Empat cangkir gerabah buatan tangan perajin Kasongan, Bantul, dengan glasir yang aman "
                      "untuk makanan. Tiap cangkir sedikit berbeda karena dibentuk satu per satu."),
            "en_ID": ("Kasongan Earthenware Cup Set (4 pcs)",
                      "Four handmade earthenware cups by potters in Kasongan, Bantul, finished with a food-safe "
                      "glaze. Each one is slightly different, because every cup is shaped by hand."),
        }),
        p("cookbook", 2, "books", "books", "98000", (600, 24, 17, 2), {
            "id_ID": ("Buku Resep Masakan Nusantara: 100 Resep Rumahan",
                      "Seratus resep dari Aceh hingga Papua, dari rendang dan soto sampai papeda, dengan bahan "
                      "yang mudah dicari di pasar. Dilengkapi foto berwarna dan kiat memasak untuk pemula."),
            "en_ID": ("Indonesian Home Cooking: 100 Recipes",
                      "One hundred recipes from Aceh to Papua, from rendang and soto to papeda, with "
                      "ingredients you can find at any market. Full-color photos and tips for beginners."),
        }),
        p("gayo-coffee", 2, "food", "food", "85000", (270, 18, 10, 6), {
            "id_ID": ("Kopi Arabika Gayo Biji Sangrai 250 g",
                      "Biji kopi arabika dari dataran tinggi Gayo, Aceh, disangrai medium agar rasa cokelat dan "
                      "rempahnya keluar. Cocok diseduh dengan V60, tubruk, maupun mesin espresso."),
            "en_ID": ("Gayo Arabica Coffee Beans, Roasted, 250 g",
                      "Arabica beans from the Gayo highlands of Aceh, medium-roasted to bring out notes of "
                      "chocolate and spice. Great for pour-over, kopi tubruk or espresso."),
        }),
        p("power-bank", 2, "electronics", "standard", "199000", (250, 15, 8, 3), {
            "id_ID": ("Power Bank 10.000 mAh Pengisian Cepat 20 W",
                      "Power bank ringkas dengan port USB-C dan USB-A, mendukung pengisian cepat 20 W untuk "
                      "ponsel dan earbud. Dilengkapi layar persentase daya dan pelindung dari panas berlebih."),
            "en_ID": ("10,000 mAh Power Bank, 20 W Fast Charging",
                      "A compact power bank with USB-C and USB-A ports and 20 W fast charging for phones and "
                      "earbuds. Digital battery display and overheating protection."),
        }),
    )
    return TenantDemo("id", "Rina Kusuma", shops, products)


def _malaysia() -> TenantDemo:
    def p(*args: Any, **kwargs: Any) -> ProductSeed:
        return product("my", *args, **kwargs)

    shops = (
        Shop("Butik Songket Seri Kelantan", "Seri Kelantan Songket Sdn. Bhd.", "company", "Nurul Aisyah binti Ahmad",
             {"ssm_registration_number": "201901012345"},
             BankAccount("Seri Kelantan Songket Sdn. Bhd.", "503012345678", "MBBEMYKL"),
             _address("Lot 1234, Jalan Sultanah Zainab", "Kota Bharu", "Kelantan", "15050", "+60 9-748 1234")),
        Shop("Rumah Wangi Melaka", "Rumah Wangi Trading Sdn. Bhd.", "company", "Tan Mei Ling",
             {"ssm_registration_number": "201801034567"},
             BankAccount("Rumah Wangi Trading Sdn. Bhd.", "8001234567", "CIBBMYKL"),
             _address("No. 23, Jalan Hang Jebat", "Melaka", "Melaka", "75200", "+60 6-282 3456")),
        Shop("Kedai Serbaneka Borneo", "Serbaneka Borneo Enterprise", "individual", "Jason Lim Wei Jie",
             {"ssm_registration_number": "202103098765"},
             BankAccount("Serbaneka Borneo Enterprise", "3187654321", "PBBEMYKL"),
             _address("No. 8, Jalan Padungan", "Kuching", "Sarawak", "93100", "+60 82-241 234")),
    )
    products = (
        p("baju-kurung", 0, "fashion-women", "clothing", "129.90", (400, 32, 26, 4), {
            "ms_MY": ("Baju Kurung Moden Kain Satin",
                      "Baju kurung moden daripada satin yang lembut dan tidak mudah berkedut, dengan potongan "
                      "yang selesa untuk bergerak. Sesuai untuk Hari Raya, majlis perkahwinan atau ke pejabat."),
            "en_MY": ("Modern Satin Baju Kurung",
                      "A modern baju kurung in soft, crease-resistant satin, cut for easy movement. Perfect for "
                      "Hari Raya, weddings or the office."),
        }, sizes=("S", "M", "L", "XL"), colours=(("PNK", "Merah Jambu"), ("EMR", "Hijau Zamrud"))),
        p("tudung-bawal", 0, "fashion-women", "clothing", "35.90", (120, 25, 20, 2), {
            "ms_MY": ("Tudung Bawal Cotton Voile",
                      "Tudung bawal bidang 45 daripada cotton voile yang ringan dan mudah dibentuk. Tidak "
                      "licin, tidak panas dan tepinya dijahit kemas."),
            "en_MY": ("Cotton Voile Bawal Tudung",
                      "A 45-inch square tudung in light cotton voile that is easy to style. Non-slip, "
                      "breathable and neatly hemmed."),
        }, colours=(("BLK", "Hitam"), ("GRY", "Kelabu"), ("NVY", "Biru Laut"))),
        p("baju-melayu", 0, "fashion-men", "clothing", "159.00", (450, 34, 28, 5), {
            "ms_MY": ("Baju Melayu Cekak Musang",
                      "Sepasang baju Melayu cekak musang lengkap dengan seluar, daripada kain kapas campuran "
                      "yang sejuk dipakai. Jahitan kemas dengan butang yang boleh ditukar ganti."),
            "en_MY": ("Baju Melayu with Cekak Musang Collar",
                      "A cekak musang baju Melayu set with matching trousers, in a cool cotton blend. Neatly "
                      "tailored, with interchangeable buttons."),
        }, sizes=("S", "M", "L", "XL"), colours=(("RBL", "Biru Diraja"), ("OLV", "Hijau Zaitun"))),
        p("songket-samping", 0, "fashion-men", "clothing", "289.00", (350, 30, 25, 3), {
            "ms_MY": ("Kain Samping Songket Tenunan Tangan",
                      "Kain samping songket yang ditenun tangan oleh penenun Kelantan, berhias benang emas yang "
                      "berkilau. Pelengkap baju Melayu untuk pagi raya dan majlis akad nikah."),
            "en_MY": ("Handwoven Songket Samping",
                      "A songket samping handwoven by Kelantanese weavers with shimmering gold thread. The "
                      "finishing touch to a baju Melayu on Hari Raya morning or at a wedding."),
        }, colours=(("GLD", "Emas"), ("MRN", "Merah Hati"))),
        p("kids-baju-kurung", 0, "fashion-kids", "childrens_clothing", "49.90", (200, 25, 20, 3), {
            "ms_MY": ("Baju Kurung Kanak-kanak Corak Bunga",
                      "Baju kurung kanak-kanak daripada kain kapas bercorak bunga kecil, lembut dan menyerap "
                      "peluh. Sesuai untuk beraya dan ke sekolah agama."),
            "en_MY": ("Children's Floral Baju Kurung",
                      "A children's baju kurung in soft, absorbent cotton with a small floral print. Lovely for "
                      "Hari Raya and for religious school."),
        }, sizes=("2–3 tahun", "4–5 tahun", "6–7 tahun")),
        p("goat-milk-soap", 1, "beauty", "standard", "12.90", (120, 8, 6, 3), {
            "ms_MY": ("Sabun Susu Kambing Buatan Tangan 100 g",
                      "Sabun proses sejuk daripada susu kambing segar dan minyak kelapa dara, lembut untuk "
                      "kulit sensitif. Tanpa pewangi tiruan."),
            "en_MY": ("Handmade Goat's Milk Soap, 100 g",
                      "Cold-process soap made with fresh goat's milk and virgin coconut oil, gentle on "
                      "sensitive skin. No artificial fragrance."),
        }),
        p("hibiscus-hair-oil", 1, "beauty", "standard", "24.90", (150, 5, 5, 14), {
            "ms_MY": ("Minyak Rambut Bunga Raya 100 ml",
                      "Minyak rambut tradisional daripada bunga raya, daun pandan dan minyak kelapa untuk "
                      "rambut yang lebih lembut dan berkilat. Urut perlahan pada kulit kepala sebelum bersyampu."),
            "en_MY": ("Hibiscus Hair Oil, 100 ml",
                      "A traditional hair oil of hibiscus, pandan leaves and coconut oil for softer, shinier "
                      "hair. Massage gently into the scalp before shampooing."),
        }),
        p("batik-cushion", 1, "home", "standard", "39.90", (200, 30, 25, 3), {
            "ms_MY": ("Sarung Kusyen Batik Terengganu 45 × 45 cm",
                      "Sarung kusyen daripada batik lukis tangan Terengganu dengan zip tersembunyi. "
                      "Menceriakan ruang tamu dengan warna-warna tropika."),
            "en_MY": ("Terengganu Batik Cushion Cover, 45 × 45 cm",
                      "A cushion cover in hand-drawn Terengganu batik with a concealed zip. Brightens up any "
                      "living room with tropical colours."),
        }),
        p("tiffin", 1, "home", "standard", "45.00", (900, 16, 16, 25), {
            "ms_MY": ("Mangkuk Tingkat Keluli Tahan Karat 3 Tingkat",
                      "Mangkuk tingkat klasik daripada keluli tahan karat, kukuh dan mudah dicuci. Bawa nasi "
                      "dan lauk ke pejabat atau untuk berkelah bersama keluarga."),
            "en_MY": ("Three-Tier Stainless Steel Tiffin Carrier",
                      "A classic tiffin carrier in sturdy, easy-to-wash stainless steel. Take rice and dishes "
                      "to the office or on a family picnic."),
        }),
        p("nyonya-cookbook", 2, "books", "books", "69.90", (700, 26, 20, 2), {
            "ms_MY": ("Dapur Peranakan: Buku Resipi Nyonya",
                      "Lebih 80 resipi warisan Nyonya dari Melaka dan Pulau Pinang, daripada laksa lemak hingga "
                      "kuih seri muka. Setiap resipi disertakan gambar langkah demi langkah."),
            "en_MY": ("The Peranakan Kitchen: Nyonya Recipes",
                      "More than 80 heritage Nyonya recipes from Melaka and Penang, from laksa lemak to kuih "
                      "seri muka. Every recipe comes with step-by-step photos."),
        }),
        p("tenom-coffee", 2, "food", "food", "28.50", (520, 20, 12, 6), {
            "ms_MY": ("Kopi Tenom Serbuk Asli 500 g",
                      "Serbuk kopi robusta dari Tenom, Sabah, dengan aroma yang kuat dan rasa yang pekat. Sedap "
                      "dibancuh sebagai kopi O panas atau dengan susu pekat manis."),
            "en_MY": ("Tenom Ground Coffee, 500 g",
                      "Ground robusta coffee from Tenom, Sabah, with a bold aroma and a rich body. Delicious as "
                      "hot kopi O or with sweetened condensed milk."),
        }),
        p("earbuds", 2, "electronics", "standard", "119.00", (150, 12, 10, 5), {
            "ms_MY": ("Fon Telinga Tanpa Wayar Bluetooth 5.3",
                      "Fon telinga tanpa wayar dengan Bluetooth 5.3, tahan sehingga 30 jam bersama bekas "
                      "pengecas dan kalis percikan air IPX4. Sesuai untuk bersukan dan perjalanan harian."),
            "en_MY": ("Wireless Earbuds, Bluetooth 5.3",
                      "Wireless earbuds with Bluetooth 5.3, up to 30 hours of playback with the charging case "
                      "and IPX4 splash resistance. Great for workouts and the daily commute."),
        }),
    )
    return TenantDemo("my", "Aina Sofea", shops, products)


def _thailand() -> TenantDemo:
    def p(*args: Any, **kwargs: Any) -> ProductSeed:
        return product("th", *args, **kwargs)

    shops = (
        Shop("ร้านผ้าไหมสยาม", "บริษัท ผ้าไหมสยาม จำกัด", "company", "ประภาพร ศรีสุข",
             {"tax_id": "0305561001234"},
             BankAccount("บริษัท ผ้าไหมสยาม จำกัด", "3021548769", "004"),
             _address("88 หมู่ 1 ตำบลเมืองปัก", "ปักธงชัย", "นครราชสีมา", "30150", "+66 44 441 234")),
        Shop("บ้านสมุนไพรล้านนา", "ห้างหุ้นส่วนจำกัด บ้านสมุนไพรล้านนา", "company", "วิไลวรรณ ทองดี",
             {"tax_id": "0503560004567"},
             BankAccount("ห้างหุ้นส่วนจำกัด บ้านสมุนไพรล้านนา", "6672039184", "014"),
             _address("45 ถนนนิมมานเหมินท์ ซอย 9", "เชียงใหม่", "เชียงใหม่", "50200", "+66 53 214 567")),
        Shop("เอกชัยช้อป", "นายเอกชัย แก้วมณี", "individual", "เอกชัย แก้วมณี",
             {"tax_id": "3100600123451"},
             BankAccount("นายเอกชัย แก้วมณี", "0431287659", "002"),
             _address("1/23 ถนนพหลโยธิน แขวงสามเสนใน", "เขตพญาไท", "กรุงเทพมหานคร", "10400", "+66 2 278 1234")),
    )
    products = (
        p("mudmee-sarong", 0, "fashion-women", "clothing", "1890.00", (350, 30, 25, 3), {
            "th_TH": ("ผ้าถุงไหมมัดหมี่ทอมือ ปักธงชัย",
                      "ผ้าไหมแท้ลายมัดหมี่ ทอมือโดยช่างทออำเภอปักธงชัย เย็บสำเร็จเป็นผ้าถุงพร้อมใส่ "
                      "เนื้อผ้านุ่ม มีเงางามตามธรรมชาติของเส้นไหม เหมาะกับงานบุญ งานแต่ง และวันสำคัญ"),
        }, colours=(("PRP", "ม่วง"), ("OLV", "เขียวขี้ม้า"))),
        p("cotton-blouse", 0, "fashion-women", "clothing", "590.00", (200, 28, 22, 3), {
            "th_TH": ("เสื้อผ้าฝ้ายทอมือ คอจีน แขนสั้น",
                      "เสื้อผ้าฝ้ายทอมือจากเชียงใหม่ ทรงคอจีน ติดกระดุมผ้า ใส่สบาย ระบายอากาศดี "
                      "ยิ่งซักยิ่งนุ่ม"),
        }, sizes=("S", "M", "L", "XL"), colours=(("IND", "คราม"), ("CRM", "ขาวครีม"))),
        p("indigo-shirt", 0, "fashion-men", "clothing", "790.00", (300, 30, 25, 4), {
            "th_TH": ("เสื้อเชิ้ตผู้ชายผ้าฝ้ายย้อมคราม แขนยาว",
                      "เสื้อเชิ้ตผ้าฝ้ายย้อมครามธรรมชาติจากสกลนคร สีน้ำเงินเข้มสวยเป็นเอกลักษณ์ "
                      "ใส่ทำงานหรือใส่เที่ยวก็ดูดี ช่วงแรกควรซักแยกจากผ้าสีอ่อน"),
        }, sizes=("M", "L", "XL", "XXL")),
        p("fisherman-pants", 0, "fashion-men", "clothing", "290.00", (250, 28, 22, 3), {
            "th_TH": ("กางเกงเลผ้าฝ้าย เอวผูก",
                      "กางเกงเลทรงหลวมแบบดั้งเดิม เอวผูกปรับขนาดได้ ผ้าฝ้ายเนื้อเบา ใส่สบายในวันที่อากาศร้อน "
                      "ใส่อยู่บ้านหรือไปทะเลก็ได้"),
        }, sizes=("M", "L", "XL"), colours=(("BLK", "ดำ"), ("NVY", "กรมท่า"))),
        p("kids-elephant-set", 0, "fashion-kids", "childrens_clothing", "350.00", (180, 25, 20, 3), {
            "th_TH": ("ชุดเด็กผ้าฝ้าย ลายช้าง (เสื้อ + กางเกง)",
                      "ชุดเสื้อและกางเกงขาสั้นสำหรับเด็ก ผ้าฝ้ายพิมพ์ลายช้างน่ารัก เนื้อนุ่มไม่ระคายเคืองผิว "
                      "ขอบเอวยางยืด ใส่ง่าย"),
        }, sizes=("2–3 ปี", "4–5 ปี", "6–7 ปี")),
        p("turmeric-cream", 1, "beauty", "standard", "189.00", (100, 7, 7, 6), {
            "th_TH": ("ครีมขมิ้นชันบำรุงผิวหน้า 50 กรัม",
                      "ครีมบำรุงผิวหน้าจากขมิ้นชันและว่านหางจระเข้ ช่วยให้ผิวดูกระจ่างใสและชุ่มชื้น "
                      "เนื้อบางเบา ซึมเร็ว ไม่เหนอะหนะ"),
        }),
        p("tamarind-soap", 1, "beauty", "standard", "89.00", (120, 8, 6, 3), {
            "th_TH": ("สบู่มะขามน้ำผึ้ง 100 กรัม",
                      "สบู่ก้อนสูตรมะขามผสมน้ำผึ้งป่า ขัดผิวอย่างอ่อนโยน ผิวดูเนียนนุ่มหลังอาบน้ำ "
                      "ผลิตที่เชียงใหม่"),
        }),
        p("khit-pillow", 1, "home", "standard", "690.00", (1500, 50, 35, 20), {
            "th_TH": ("หมอนขวานผ้าขิด 10 ช่อง",
                      "หมอนขวานผ้าขิดทอมือจากภาคอีสาน ยัดนุ่นแน่นเต็มใบ พิงหลังได้สบาย "
                      "เป็นทั้งของแต่งบ้านและมุมนั่งพักผ่อน"),
        }),
        p("benjarong-set", 1, "home", "standard", "1250.00", (1500, 30, 30, 15), {
            "th_TH": ("ชุดถ้วยกาแฟเบญจรงค์ 2 ที่",
                      "ถ้วยกาแฟพร้อมจานรอง 2 ชุด เขียนลายเบญจรงค์ด้วยมือและตัดเส้นทอง "
                      "จากหมู่บ้านเบญจรงค์ดอนไก่ดี จังหวัดสมุทรสาคร เหมาะเป็นของขวัญหรือของสะสม"),
        }),
        p("thai-cookbook", 2, "books", "books", "359.00", (650, 25, 19, 2), {
            "th_TH": ("ตำราอาหารไทยต้นตำรับ 100 เมนู",
                      "รวมสูตรอาหารไทยยอดนิยม 100 เมนู ตั้งแต่ต้มยำกุ้ง แกงเขียวหวาน จนถึงขนมไทย "
                      "อธิบายทีละขั้นตอนพร้อมภาพประกอบสี่สี มือใหม่ก็ทำตามได้"),
        }),
        p("jasmine-rice", 2, "food", "food", "265.00", (5100, 40, 28, 10), {
            "th_TH": ("ข้าวหอมมะลิทุ่งกุลาร้องไห้ 5 กก.",
                      "ข้าวหอมมะลิ 105 จากทุ่งกุลาร้องไห้ ข้าวใหม่ต้นฤดู หุงขึ้นหม้อ นุ่ม หอม "
                      "บรรจุถุงสุญญากาศเพื่อคงความสดใหม่"),
        }),
        p("anc-earbuds", 2, "electronics", "standard", "1290.00", (150, 12, 10, 5), {
            "th_TH": ("หูฟังบลูทูธไร้สาย ตัดเสียงรบกวน ANC",
                      "หูฟังไร้สาย Bluetooth 5.3 พร้อมระบบตัดเสียงรบกวน (ANC) ฟังเพลงต่อเนื่องได้สูงสุด "
                      "30 ชั่วโมงเมื่อรวมเคสชาร์จ กันน้ำระดับ IPX4"),
        }),
    )
    return TenantDemo("th", "กมลชนก วงศ์ใหญ่", shops, products)


def _vietnam() -> TenantDemo:
    def p(*args: Any, **kwargs: Any) -> ProductSeed:
        return product("vn", *args, **kwargs)

    shops = (
        Shop("Áo Dài Hoa Sen", "Công ty TNHH Thời trang Hoa Sen", "company", "Nguyễn Thị Lan",
             {"tax_code": "0316789012"},
             BankAccount("CONG TY TNHH THOI TRANG HOA SEN", "0071001234567", "970436"),
             _address("125 Lê Thánh Tôn", "TP. Hồ Chí Minh", "TP. Hồ Chí Minh", "700000", "+84 28 3823 4567",
                      line2="Phường Bến Thành, Quận 1")),
        Shop("Nhà Mộc Hội An", "Hộ kinh doanh Nhà Mộc Hội An", "household", "Trần Minh Thư",
             {"tax_code": "4001234567"},
             BankAccount("TRAN MINH THU", "19034567891012", "970407"),
             _address("52 Nguyễn Thái Học", "Hội An", "Quảng Nam", "560000", "+84 235 386 1234",
                      line2="Phường Minh An")),
        Shop("Cửa hàng Phố Cổ", "Công ty TNHH Thương mại Phố Cổ", "company", "Lê Văn Hùng",
             {"tax_code": "0109876543"},
             BankAccount("CONG TY TNHH THUONG MAI PHO CO", "113000123456", "970415"),
             _address("36 Hàng Bạc", "Hà Nội", "Hà Nội", "100000", "+84 24 3826 1234",
                      line2="Phường Hàng Bạc, Quận Hoàn Kiếm")),
    )
    products = (
        p("silk-ao-dai", 0, "fashion-women", "clothing", "1250000", (400, 35, 28, 4), {
            "vi_VN": ("Áo dài lụa tơ tằm thêu hoa sen",
                      "Áo dài may từ lụa tơ tằm Bảo Lộc, thêu tay hoa sen ở tà trước, kèm quần lụa cùng tông. "
                      "Mặc đi lễ, dự cưới hay chụp ảnh Tết đều nổi bật mà vẫn thanh lịch."),
        }, sizes=("S", "M", "L", "XL"), colours=(("WHT", "Trắng"), ("RED", "Đỏ đô"))),
        p("linen-dress", 0, "fashion-women", "clothing", "450000", (300, 30, 25, 3), {
            "vi_VN": ("Đầm suông linen cổ tròn",
                      "Đầm suông dài qua gối, chất linen thoáng mát, thấm hút mồ hôi tốt, rất hợp với thời tiết "
                      "nóng. Có hai túi hai bên tiện lợi."),
        }, sizes=("S", "M", "L"), colours=(("BEI", "Be"), ("OLV", "Xanh rêu"))),
        p("linen-shirt", 0, "fashion-men", "clothing", "390000", (280, 30, 25, 3), {
            "vi_VN": ("Áo sơ mi nam linen tay dài",
                      "Áo sơ mi nam vải linen pha cotton, form suông vừa vặn, mặc đi làm hay đi chơi đều lịch "
                      "sự. Vải ít nhăn, dễ giặt ủi."),
        }, sizes=("M", "L", "XL", "XXL"), colours=(("WHT", "Trắng"), ("LBL", "Xanh nhạt"))),
        p("khaki-trousers", 0, "fashion-men", "clothing", "420000", (450, 32, 26, 4), {
            "vi_VN": ("Quần kaki nam ống đứng",
                      "Quần kaki cotton co giãn nhẹ, ống đứng, cạp vừa, mặc thoải mái cả ngày. Màu bền, không "
                      "xù lông sau nhiều lần giặt."),
        }, sizes=("29", "30", "31", "32", "34"), colours=(("BEI", "Be"), ("BLK", "Đen"))),
        p("kids-dino-set", 0, "fashion-kids", "childrens_clothing", "185000", (180, 25, 20, 3), {
            "vi_VN": ("Bộ đồ cotton bé trai in hình khủng long",
                      "Bộ áo thun và quần short cho bé trai, 100% cotton mềm mịn, in hình khủng long ngộ "
                      "nghĩnh. Lưng thun co giãn, bé dễ dàng tự mặc."),
        }, sizes=("2–3 tuổi", "4–5 tuổi", "6–7 tuổi")),
        p("coconut-oil", 1, "beauty", "standard", "95000", (300, 7, 7, 16), {
            "vi_VN": ("Dầu dừa nguyên chất ép lạnh Bến Tre 250 ml",
                      "Dầu dừa ép lạnh từ dừa tươi Bến Tre, nguyên chất không pha tạp, dùng dưỡng da, dưỡng tóc "
                      "hay tẩy trang đều được. Đựng trong chai thủy tinh."),
        }),
        p("beeswax-lip-balm", 1, "beauty", "standard", "65000", (30, 6, 3, 3), {
            "vi_VN": ("Son dưỡng môi sáp ong 5 g",
                      "Son dưỡng làm từ sáp ong, dầu dừa và bơ ca cao, giúp môi mềm mại, không khô nứt. Không "
                      "màu, không chất bảo quản."),
        }),
        p("bat-trang-tea-set", 1, "home", "standard", "680000", (2000, 35, 30, 15), {
            "vi_VN": ("Bộ ấm chén gốm Bát Tràng men lam",
                      "Bộ ấm trà gồm một ấm và sáu chén, gốm Bát Tràng vẽ tay men lam truyền thống. Thích hợp "
                      "để pha trà mời khách hoặc làm quà biếu."),
        }),
        p("silk-lantern", 1, "home", "standard", "150000", (300, 30, 30, 15), {
            "vi_VN": ("Đèn lồng lụa Hội An",
                      "Đèn lồng khung tre bọc lụa, làm thủ công tại phố cổ Hội An, có thể gấp gọn khi vận "
                      "chuyển. Treo ở hiên nhà hay phòng khách đều thêm ấm cúng."),
        }),
        p("vn-cookbook", 2, "books", "books", "168000", (600, 24, 16, 2), {
            "vi_VN": ("Sách Ẩm thực ba miền: 120 công thức nấu ăn gia đình",
                      "Tuyển tập 120 món ăn quen thuộc của ba miền Bắc, Trung, Nam, từ phở, bún bò Huế đến canh "
                      "chua cá lóc. Hướng dẫn từng bước, có ảnh minh họa màu."),
        }),
        p("robusta-coffee", 2, "food", "food", "165000", (520, 20, 12, 6), {
            "vi_VN": ("Cà phê Robusta Buôn Ma Thuột rang xay 500 g",
                      "Cà phê Robusta Buôn Ma Thuột rang mộc, xay sẵn để pha phin, vị đậm, hậu ngọt. Hợp pha cà "
                      "phê sữa đá hoặc uống đen."),
        }),
        p("power-bank", 2, "electronics", "standard", "399000", (250, 15, 8, 3), {
            "vi_VN": ("Sạc dự phòng 10000 mAh sạc nhanh 20 W",
                      "Sạc dự phòng nhỏ gọn với cổng USB-C và USB-A, hỗ trợ sạc nhanh 20 W cho điện thoại và "
                      "tai nghe. Có màn hình hiển thị phần trăm pin."),
        }),
    )
    return TenantDemo("vn", "Phạm Thu Hà", shops, products)


def _philippines() -> TenantDemo:
    def p(*args: Any, **kwargs: Any) -> ProductSeed:
        return product("ph", *args, **kwargs)

    shops = (
        Shop("Burda ng Lumban", "Burda ng Lumban Trading Inc.", "company", "Maria Theresa Dizon",
             {"tin": "008123456000", "business_registration": "CS201812345"},
             BankAccount("Burda ng Lumban Trading Inc.", "3189027465", "BOPIPHMM"),
             _address("27 Rizal St., Brgy. Poblacion", "Lumban", "Laguna", "4014", "+63 49 501 2345")),
        Shop("Likas Ganda Naturals", "Kristine Mae Santos", "individual", "Kristine Mae Santos",
             {"tin": "412345678", "business_registration": "3456789"},
             BankAccount("Kristine Mae Santos", "006280123456", "BNORPHMM"),
             _address("Unit 5, 88 Mango Ave.", "Cebu City", "Cebu", "6000", "+63 32 234 5678")),
        Shop("Sari-Sari Hub Davao", "Sari-Sari Hub Corporation", "company", "Rodel Reyes",
             {"tin": "009876543000", "business_registration": "CS202012345"},
             BankAccount("Sari-Sari Hub Corporation", "7210456789", "MBTCPHMM"),
             _address("123 C.M. Recto St.", "Davao City", "Davao del Sur", "8000", "+63 82 221 2345")),
    )
    products = (
        p("filipiniana-blouse", 0, "fashion-women", "clothing", "1450.00", (250, 30, 25, 3), {
            "fil_PH": ("Filipiniana na Blusa na may Butterfly Sleeves",
                       "Blusang Filipiniana na gawa sa jusi, may burdang-kamay mula sa mga mananahi ng Lumban. "
                       "Bagay sa Buwan ng Wika, kasal, at iba pang pormal na okasyon."),
            "en_PH": ("Filipiniana Blouse with Butterfly Sleeves",
                      "A Filipiniana blouse in jusi fabric, hand-embroidered by artisans in Lumban. Perfect for "
                      "Buwan ng Wika, weddings and other formal occasions."),
        }, sizes=("S", "M", "L"), colours=(("WHT", "Puti"), ("CRM", "Krema"))),
        p("inabel-dress", 0, "fashion-women", "clothing", "1890.00", (400, 32, 26, 4), {
            "fil_PH": ("Bestidang Inabel mula sa Ilocos",
                       "Bestidang gawa sa inabel, ang tradisyonal na habing Ilokano mula sa Paoay. Presko at "
                       "matibay ang tela, at lalo pang lumalambot habang tumatagal."),
            "en_PH": ("Ilocos Inabel Dress",
                      "A dress made from inabel, the traditional Ilocano handwoven cloth from Paoay. The fabric "
                      "is cool and durable, and gets softer with every wash."),
        }, sizes=("S", "M", "L", "XL"), colours=(("BLU", "Asul"), ("RED", "Pula"))),
        p("pina-barong", 0, "fashion-men", "clothing", "3500.00", (300, 35, 28, 4), {
            "fil_PH": ("Barong Tagalog na Piña-Jusi na may Burda ng Lumban",
                       "Barong Tagalog na piña-jusi na may pinong burdang-kamay mula sa Lumban, Laguna. May "
                       "kasamang camisa de chino, kaya handa nang isuot sa kasal o pormal na pagtitipon."),
            "en_PH": ("Piña-Jusi Barong Tagalog with Lumban Embroidery",
                      "A piña-jusi Barong Tagalog with fine hand embroidery from Lumban, Laguna. Comes with a "
                      "camisa de chino underneath, ready for weddings and formal events."),
        }, sizes=("38", "40", "42", "44")),
        p("polo-barong", 0, "fashion-men", "clothing", "890.00", (250, 30, 25, 3), {
            "fil_PH": ("Polo Barong na Gusot-Mayaman, Maikling Manggas",
                       "Polo barong na maikli ang manggas, gawa sa gusot-mayaman na hindi na kailangang "
                       "plantsahin. Presko para sa opisina at sa mga okasyon tuwing tag-init."),
            "en_PH": ("Short-Sleeved Gusot-Mayaman Polo Barong",
                      "A short-sleeved polo barong in gusot-mayaman fabric that never needs ironing. Cool and "
                      "smart for the office and for events in the hot season."),
        }, sizes=("S", "M", "L", "XL"), colours=(("WHT", "Puti"), ("GRY", "Abo"))),
        p("kids-barong", 0, "fashion-kids", "childrens_clothing", "650.00", (150, 25, 20, 3), {
            "fil_PH": ("Barong Tagalog Pambata",
                       "Barong Tagalog para sa mga bata, gawa sa malambot na jusi na may simpleng burda sa "
                       "harap. Bagay sa binyag, kasal, at Buwan ng Wika sa paaralan."),
            "en_PH": ("Kids' Barong Tagalog",
                      "A Barong Tagalog for children in soft jusi with simple embroidery on the front. Lovely "
                      "for christenings, weddings and Buwan ng Wika at school."),
        }, sizes=("2–3 taon", "4–5 taon", "6–7 taon")),
        p("virgin-coconut-oil", 1, "beauty", "standard", "249.00", (300, 7, 7, 16), {
            "fil_PH": ("Virgin Coconut Oil para sa Balat at Buhok, 250 ml",
                       "Purong virgin coconut oil na cold-pressed mula sa sariwang niyog ng Cebu. "
                       "Pampalambot ng balat, pampakintab ng buhok, at puwede ring pang-masahe."),
            "en_PH": ("Virgin Coconut Oil for Skin and Hair, 250 ml",
                      "Pure, cold-pressed virgin coconut oil from fresh Cebu coconuts. Softens skin, adds shine "
                      "to hair and doubles as a massage oil."),
        }),
        p("papaya-soap", 1, "beauty", "standard", "99.00", (150, 8, 6, 3), {
            "fil_PH": ("Sabong Papaya at Kalamansi, 135 g",
                       "Sabong gawa sa papaya at kalamansi na banayad na naglilinis at nagpapakinis ng balat. "
                       "Gawa ng maliliit na negosyo sa Cebu."),
            "en_PH": ("Papaya and Calamansi Soap, 135 g",
                      "A papaya and calamansi soap that gently cleanses and smooths the skin. Made by small "
                      "producers in Cebu."),
        }),
        p("tikog-mat", 1, "home", "standard", "1200.00", (1200, 50, 15, 15), {
            "fil_PH": ("Banig na Tikog mula sa Basey, Samar",
                       "Makulay na banig na hinabi sa kamay mula sa damong tikog ng Basey, Samar. Puwedeng "
                       "higaan, sapin sa sahig, o palamuti sa dingding. Sukat: 150 × 200 cm."),
            "en_PH": ("Handwoven Tikog Mat from Basey, Samar",
                      "A colorful mat handwoven from tikog grass in Basey, Samar. Sleep on it, use it as a "
                      "floor mat or hang it on the wall. Size: 150 × 200 cm."),
        }),
        p("capiz-lamp", 1, "home", "standard", "1650.00", (1500, 35, 35, 45), {
            "fil_PH": ("Lampara sa Mesa na Gawa sa Capiz",
                       "Lampara sa mesa na gawa sa kabibeng capiz na nagbibigay ng malambot at mainit na "
                       "liwanag. Gawang-kamay sa Cebu, at may kasama nang bombilyang LED."),
            "en_PH": ("Capiz Shell Table Lamp",
                      "A table lamp made from capiz shells that gives a soft, warm glow. Handmade in Cebu; LED "
                      "bulb included."),
        }),
        p("ph-cookbook", 2, "books", "books", "495.00", (650, 25, 19, 2), {
            "fil_PH": ("Lutong Bahay: 80 Paboritong Ulam ng Pamilyang Pilipino",
                       "Walumpung recipe ng mga ulam na kinalakihan natin, mula adobo at sinigang hanggang "
                       "kare-kare at pinakbet. Madaling sundan, may larawan sa bawat hakbang."),
            "en_PH": ("Lutong Bahay: 80 Filipino Family Favorites",
                      "Eighty recipes for the dishes we grew up with, from adobo and sinigang to kare-kare and "
                      "pinakbet. Easy to follow, with photos for every step."),
        }),
        p("dried-mangoes", 2, "food", "food", "165.00", (220, 20, 14, 3), {
            "fil_PH": ("Pinatuyong Mangga mula sa Cebu, 200 g",
                       "Matamis at malambot na pinatuyong manggang kalabaw mula sa Cebu. Paboritong pasalubong "
                       "ng lahat, o pang-meryenda sa bahay."),
            "en_PH": ("Cebu Dried Mangoes, 200 g",
                      "Sweet, chewy dried carabao mangoes from Cebu. Everyone's favorite pasalubong, or a snack "
                      "at home."),
        }),
        p("earbuds", 2, "electronics", "standard", "1299.00", (150, 12, 10, 5), {
            "fil_PH": ("Wireless na Earbuds, Bluetooth 5.3",
                       "Wireless na earbuds na may Bluetooth 5.3, hanggang 30 oras na playback kasama ang "
                       "charging case, at IPX4 na proteksyon sa tilamsik ng tubig. Sakto sa pag-commute at "
                       "pag-eehersisyo."),
            "en_PH": ("Wireless Earbuds, Bluetooth 5.3",
                      "Wireless earbuds with Bluetooth 5.3, up to 30 hours of playback with the charging case "
                      "and IPX4 splash resistance. Just right for the commute and workouts."),
        }),
    )
    return TenantDemo("ph", "Andrea Villanueva", shops, products)


def _singapore() -> TenantDemo:
    def p(*args: Any, **kwargs: Any) -> ProductSeed:
        return product("sg", *args, **kwargs)

    shops = (
        Shop("Kebaya Lane", "Kebaya Lane Pte. Ltd.", "company", "Cheryl Goh",
             {"uen": "201812345D"},
             BankAccount("Kebaya Lane Pte. Ltd.", "0721234567", "7171"),
             _address("112 East Coast Road", "Singapore", "", "428802", "+65 6345 1234", line2="#01-05")),
        Shop("Little Apothecary", "Little Apothecary LLP", "company", "Priya Nair",
             {"uen": "T16LL0456K"},
             BankAccount("Little Apothecary LLP", "5012345678", "7339"),
             _address("78 Yong Siak Street", "Singapore", "", "163078", "+65 6221 5678", line2="#01-12")),
        Shop("Bras Basah Finds", "Bras Basah Finds Pte. Ltd.", "company", "Marcus Tan",
             {"uen": "202112345N"},
             BankAccount("Bras Basah Finds Pte. Ltd.", "3451234567", "7375"),
             _address("231 Bain Street", "Singapore", "", "180231", "+65 6336 7890",
                      line2="#03-21 Bras Basah Complex")),
    )
    products = (
        p("nyonya-kebaya", 0, "fashion-women", "clothing", "189.00", (250, 30, 25, 3), {
            "en_SG": ("Nyonya Kebaya with Hand-embroidered Peonies",
                      "A sheer voile kebaya with peonies embroidered by hand along the hem and front panels, in "
                      "the Peranakan tradition. Pair it with a batik sarong for weddings, Chinese New Year or "
                      "Hari Raya visiting."),
        }, sizes=("XS", "S", "M", "L"), colours=(("JDE", "Jade"), ("PNK", "Blush Pink"))),
        p("cheongsam-dress", 0, "fashion-women", "clothing", "119.00", (300, 30, 25, 3), {
            "en_SG": ("Linen Cheongsam Midi Dress",
                      "A modern cheongsam in washed linen with a mandarin collar and knotted buttons, cut for "
                      "Singapore's heat. Comfortable enough for the office, smart enough for dinner."),
        }, sizes=("S", "M", "L"), colours=(("SGE", "Sage"), ("IVR", "Ivory"))),
        p("batik-shirt", 0, "fashion-men", "clothing", "69.90", (250, 30, 25, 3), {
            "en_SG": ("Men's Batik Short-sleeve Shirt",
                      "A relaxed short-sleeve shirt in hand-stamped cotton batik with a modern geometric motif. "
                      "Breathable, easy to iron, and right for both the office and the weekend."),
        }, sizes=("S", "M", "L", "XL"), colours=(("IND", "Indigo"), ("TEA", "Teal"))),
        p("drawstring-trousers", 0, "fashion-men", "clothing", "59.90", (350, 30, 25, 4), {
            "en_SG": ("Men's Cotton-Linen Drawstring Trousers",
                      "Lightweight cotton-linen trousers with a drawstring waist and tapered leg. Cool in the "
                      "tropics, smart enough for a casual Friday."),
        }, sizes=("S", "M", "L", "XL"), colours=(("KHK", "Khaki"), ("CHR", "Charcoal"))),
        p("kids-pyjamas", 0, "fashion-kids", "childrens_clothing", "39.90", (200, 25, 20, 3), {
            "en_SG": ("Kids' Peranakan Tile Print Pyjama Set",
                      "Soft cotton pyjamas printed with colourful Peranakan tiles, with a button-front top and "
                      "elasticated shorts. Breathable for warm nights."),
        }, sizes=("2–3Y", "4–5Y", "6–7Y")),
        p("pandan-lotion", 1, "beauty", "standard", "24.00", (300, 7, 5, 18), {
            "en_SG": ("Pandan & Coconut Body Lotion, 250 ml",
                      "A light body lotion with coconut oil and a fresh pandan scent that sinks in quickly, "
                      "even on humid days. Made in small batches in Singapore."),
        }),
        p("lime-hand-soap", 1, "beauty", "standard", "16.50", (380, 7, 7, 19), {
            "en_SG": ("Kaffir Lime Liquid Hand Soap, 300 ml",
                      "A gentle liquid hand soap with kaffir lime and lemongrass essential oils. Leaves hands "
                      "clean and softly scented, never dry."),
        }),
        p("tile-coasters", 1, "home", "standard", "28.00", (450, 12, 12, 5), {
            "en_SG": ("Peranakan Tile Ceramic Coasters, Set of 4",
                      "Four ceramic coasters with cork backing, printed with patterns from Peranakan shophouse "
                      "tiles. A thoughtful housewarming gift."),
        }),
        p("rattan-basket", 1, "home", "standard", "65.00", (1600, 45, 40, 50), {
            "en_SG": ("Rattan Laundry Basket with Lid",
                      "A handwoven rattan basket with a lid and a removable cotton liner. Lets laundry breathe "
                      "in humid weather and looks good in any room."),
        }),
        p("hawker-cookbook", 2, "books", "books", "35.00", (800, 26, 20, 2), {
            "en_SG": ("Hawker Classics: 60 Singapore Recipes to Cook at Home",
                      "Chicken rice, char kway teow, laksa and more: sixty hawker favourites adapted for the "
                      "home kitchen, with tips from veteran stallholders. Hardback with full-colour photographs."),
        }),
        p("pandan-kaya", 2, "food", "food", "8.90", (350, 8, 8, 9), {
            "en_SG": ("Pandan Kaya Spread, 250 g",
                      "A silky coconut and egg jam, slow-cooked with fresh pandan leaves the Nyonya way. Spread "
                      "it thick on toast with a slab of cold butter."),
        }),
        p("gan-charger", 2, "electronics", "standard", "49.90", (180, 8, 6, 4), {
            "en_SG": ("65 W GaN USB-C Charger, 3 Ports",
                      "A compact 65 W gallium nitride charger with two USB-C ports and one USB-A, fitted with "
                      "the three-pin plug used in Singapore. Charges a laptop, phone and earbuds at once."),
        }),
    )
    return TenantDemo("sg", "Rachel Lim", shops, products)


# --- UK and EU ----------------------------------------------------------------------------------
def _united_kingdom() -> TenantDemo:
    def p(*args: Any, **kwargs: Any) -> ProductSeed:
        return product("uk", *args, **kwargs)

    shops = (
        Shop("Bramble & Thread", "Bramble & Thread Ltd", "company", "Eleanor Hughes",
             {"companies_house_number": "11894523", "vat_number": "GB312456789"},
             BankAccount("Bramble & Thread Ltd", "41352678", "309634"),
             _address("14 Market Place", "Hebden Bridge", "West Yorkshire", "HX7 6AL", "+44 1422 845123")),
        Shop("The Cotswold Apothecary", "Cotswold Apothecary Ltd", "company", "Priya Shah",
             {"companies_house_number": "10456732"},
             BankAccount("Cotswold Apothecary Ltd", "20785634", "201596"),
             _address("3 Montpellier Walk", "Cheltenham", "Gloucestershire", "GL50 1SD", "+44 1242 513456")),
        Shop("Pages & Provisions", "Pages & Provisions Ltd", "company", "Tom Fletcher",
             {"companies_house_number": "13278654", "vat_number": "GB298765432"},
             BankAccount("Pages & Provisions Ltd", "63598741", "400515"),
             _address("47 Gloucester Road", "Bristol", "", "BS7 8AD", "+44 117 924 5678")),
    )
    products = (
        p("cable-jumper", 0, "fashion-women", "clothing", "64.00", (450, 32, 26, 6), {
            "en_GB": ("Women's Merino Cable-knit Jumper",
                      "A classic cable-knit jumper in soft, extra-fine merino wool, knitted in Yorkshire. Warm "
                      "without the itch, with a relaxed fit that layers over a shirt."),
        }, sizes=("8", "10", "12", "14", "16"), colours=(("GRY", "Heather Grey"), ("GRN", "Bottle Green"))),
        p("field-jacket", 0, "fashion-women", "clothing", "129.00", (900, 40, 30, 8), {
            "en_GB": ("Women's Waxed Cotton Field Jacket",
                      "A showerproof waxed cotton jacket with a cord collar, tartan lining and four roomy "
                      "pockets. Built for muddy walks, and it can be re-waxed for years of wear."),
        }, sizes=("8", "10", "12", "14", "16"), colours=(("OLV", "Olive"),)),
        p("flat-cap", 0, "fashion-men", "clothing", "28.00", (120, 25, 22, 8), {
            "en_GB": ("Men's Wool Tweed Flat Cap",
                      "A traditional flat cap in pure wool tweed with a quilted lining and a cotton sweatband. "
                      "Keeps the drizzle off from the allotment to the pub."),
        }, sizes=("S", "M", "L", "XL"), colours=(("BRN", "Brown Herringbone"), ("GRY", "Grey Herringbone"))),
        p("oxford-shirt", 0, "fashion-men", "clothing", "39.50", (300, 32, 26, 4), {
            "en_GB": ("Men's Oxford Cotton Shirt, Button-down Collar",
                      "A crisp Oxford cloth shirt with a button-down collar and a chest pocket. Smart with "
                      "chinos, relaxed with jeans, and it only gets better with washing."),
        }, sizes=("S", "M", "L", "XL", "XXL"), colours=(("WHT", "White"), ("BLU", "Pale Blue"))),
        p("puddle-suit", 0, "fashion-kids", "childrens_clothing", "32.00", (350, 30, 25, 5), {
            "en_GB": ("Children's Waterproof Puddle Suit",
                      "A fully waterproof, fleece-lined all-in-one with taped seams and foot straps. Made for "
                      "jumping in muddy puddles, then rinsing clean."),
        }, sizes=("2–3 years", "4–5 years", "6–7 years"), colours=(("YLW", "Yellow"), ("NVY", "Navy"))),
        p("bath-soak", 1, "beauty", "standard", "14.50", (550, 10, 10, 12), {
            "en_GB": ("Lavender & Oat Bath Soak, 500 g",
                      "Epsom and Dead Sea salts with colloidal oats and Cotswold lavender oil. Soothes tired "
                      "muscles and dry skin after a long day."),
        }),
        p("hand-cream", 1, "beauty", "standard", "12.00", (100, 15, 5, 3), {
            "en_GB": ("Rose Geranium Hand Cream, 75 ml",
                      "A rich but non-greasy hand cream with shea butter and rose geranium oil. Made by hand in "
                      "small batches in Gloucestershire."),
        }),
        p("stoneware-mugs", 1, "home", "standard", "26.00", (900, 25, 15, 12), {
            "en_GB": ("Hand-glazed Stoneware Mugs, Set of 2",
                      "Two generous 350 ml stoneware mugs, thrown and glazed by hand in a Cotswold pottery. "
                      "Dishwasher and microwave safe."),
        }),
        p("wool-throw", 1, "home", "standard", "85.00", (1200, 40, 30, 10), {
            "en_GB": ("Welsh Tapestry-style Wool Throw, 130 × 180 cm",
                      "A reversible double-weave throw in pure new wool, woven in Wales in a traditional "
                      "tapestry pattern. Cosy over the sofa or at the foot of the bed."),
        }),
        p("puddings-book", 2, "books", "books", "18.99", (750, 25, 20, 2), {
            "en_GB": ("Proper Puddings: 80 Classic British Desserts",
                      "Sticky toffee pudding, treacle tart, jam roly-poly and seventy-seven more: the puddings "
                      "Britain grew up on, with clear methods and custard done properly. Hardback."),
        }),
        p("marmalade", 2, "food", "food", "5.25", (600, 8, 8, 11), {
            "en_GB": ("Thick-cut Seville Orange Marmalade, 340 g",
                      "Made every January with bitter Seville oranges and plenty of peel, boiled in small "
                      "batches in open pans. Sharp, sweet and perfect on hot buttered toast."),
        }),
        p("dab-radio", 2, "electronics", "standard", "59.99", (800, 25, 15, 12), {
            "en_GB": ("Portable DAB+/FM Digital Radio with Bluetooth",
                      "A portable DAB+ and FM radio with Bluetooth streaming, 20 presets and a rechargeable "
                      "battery that lasts 15 hours. Perfect for the kitchen or the garden shed."),
        }),
    )
    return TenantDemo("uk", "Oliver Bennett", shops, products)


def _germany() -> TenantDemo:
    def p(*args: Any, **kwargs: Any) -> ProductSeed:
        return product("de", *args, **kwargs)

    shops = (
        Shop("Trachtenstube Alpenrose", "Trachtenstube Alpenrose GmbH", "company", "Franziska Huber",
             {"handelsregister_number": "HRB 245817", "register_court": "Amtsgericht München",
              "ust_idnr": "DE812345678"},
             BankAccount("Trachtenstube Alpenrose GmbH", "DE20701500000012345678"),
             _address("Tal 12", "München", "Bayern", "80331", "+49 89 2345678")),
        Shop("Seifenmanufaktur Schwarzwald", "Seifenmanufaktur Schwarzwald GmbH", "company", "Katrin Müller",
             {"handelsregister_number": "HRB 712345", "register_court": "Amtsgericht Freiburg im Breisgau"},
             BankAccount("Seifenmanufaktur Schwarzwald GmbH", "DE77680501010002345671"),
             _address("Konviktstraße 21", "Freiburg im Breisgau", "Baden-Württemberg", "79098", "+49 761 1234567")),
        Shop("Kaufhaus Nordlicht", "Nordlicht Handels GmbH", "company", "Jan Petersen",
             {"handelsregister_number": "HRB 154321", "register_court": "Amtsgericht Hamburg"},
             BankAccount("Nordlicht Handels GmbH", "DE93200505501234567895"),
             _address("Ottenser Hauptstraße 10", "Hamburg", "Hamburg", "22765", "+49 40 3901234")),
    )
    products = (
        p("dirndl", 0, "fashion-women", "clothing", "149.00", (700, 40, 30, 6), {
            "de_DE": ("Dirndl „Rosalie“ mit Schürze, midi",
                      "Midi-Dirndl aus Baumwolle mit Streublümchen, Herzausschnitt und passender Schürze. "
                      "Genäht in einer kleinen Schneiderei in Oberbayern – fürs Volksfest genauso wie für die "
                      "Hochzeit."),
        }, sizes=("34", "36", "38", "40", "42"), colours=(("BOR", "Bordeaux"), ("SAL", "Salbeigrün"))),
        p("walk-jacket", 0, "fashion-women", "clothing", "119.00", (800, 40, 30, 8), {
            "de_DE": ("Walkjacke aus reiner Schurwolle",
                      "Taillierte Walkjacke aus gewalkter Schurwolle mit Hirschhornknöpfen. Wärmt, ohne "
                      "aufzutragen, und ist von Natur aus wind- und wasserabweisend."),
        }, sizes=("36", "38", "40", "42"), colours=(("ANT", "Anthrazit"), ("TGR", "Tannengrün"))),
        p("lederhose", 0, "fashion-men", "clothing", "249.00", (900, 40, 30, 8), {
            "de_DE": ("Kurze Lederhose aus Hirschleder",
                      "Klassische kurze Lederhose aus weichem, pflanzlich gegerbtem Hirschleder mit "
                      "traditioneller Stickerei und Hosenträgern. Wird mit jedem Tragen schöner."),
        }, sizes=("46", "48", "50", "52", "54"), colours=(("BRN", "Antikbraun"),)),
        p("check-shirt", 0, "fashion-men", "clothing", "49.95", (300, 32, 26, 4), {
            "de_DE": ("Kariertes Trachtenhemd, Langarm",
                      "Trachtenhemd aus reiner Baumwolle mit kleinem Karo und Knöpfen in Hirschhornoptik. "
                      "Passt zur Lederhose genauso gut wie zur Jeans."),
        }, sizes=("S", "M", "L", "XL", "XXL"), colours=(("RED", "Rot-Weiß"), ("BLU", "Blau-Weiß"))),
        p("kids-rain-trousers", 0, "fashion-kids", "childrens_clothing", "29.95", (300, 30, 25, 4), {
            "de_DE": ("Matschhose für Kinder, wasserdicht",
                      "Wasserdichte Matschhose mit verschweißten Nähten, Hosenträgern und Stegen. Für Pfützen, "
                      "Sandkasten und Waldkindergarten – danach einfach abspülen."),
        }, sizes=("92", "98", "104", "110", "116"), colours=(("NVY", "Marine"),)),
        p("calendula-soap", 1, "beauty", "standard", "6.50", (120, 8, 6, 3), {
            "de_DE": ("Naturseife Ringelblume, 100 g",
                      "Kaltgerührte Seife mit Olivenöl, Sheabutter und Ringelblumenblüten, ohne Palmöl und ohne "
                      "synthetische Duftstoffe. Besonders mild zu trockener und empfindlicher Haut."),
        }),
        p("shea-hand-cream", 1, "beauty", "standard", "9.90", (80, 15, 5, 3), {
            "de_DE": ("Bio-Handcreme mit Sheabutter, 50 ml",
                      "Reichhaltige Handcreme mit Bio-Sheabutter und Mandelöl, die schnell einzieht und nicht "
                      "fettet. In der Tube aus recyceltem Aluminium."),
        }),
        p("tea-towels", 1, "home", "standard", "24.90", (300, 25, 20, 3), {
            "de_DE": ("Geschirrtücher aus Halbleinen, 3er-Set",
                      "Drei Geschirrtücher aus Halbleinen mit klassischem Karo, saugstark und fusselfrei – auch "
                      "für Gläser. Bei 60 °C waschbar."),
        }),
        p("cuckoo-clock", 1, "home", "standard", "289.00", (2500, 45, 35, 25), {
            "de_DE": ("Kuckucksuhr aus dem Schwarzwald, handgeschnitzt",
                      "Handgeschnitzte Kuckucksuhr mit mechanischem Eintagewerk und Kuckucksruf zur vollen und "
                      "halben Stunde; der Ruf lässt sich für die Nacht abstellen. Hergestellt im Schwarzwald."),
        }),
        p("baking-book", 2, "books", "books", "22.00", (900, 27, 21, 2), {
            "de_DE": ("Omas Backbuch: 90 Rezepte für Kuchen und Torten",
                      "Von Bienenstich bis Frankfurter Kranz: 90 Klassiker aus Omas Küche, Schritt für Schritt "
                      "erklärt und farbig bebildert. Gebundene Ausgabe."),
        }),
        p("east-frisian-tea", 2, "food", "food", "9.80", (520, 15, 10, 8), {
            "de_DE": ("Ostfriesische Teemischung, 500 g",
                      "Kräftige Schwarzteemischung mit viel Assam, wie man sie in Ostfriesland trinkt – am "
                      "besten mit Kluntje und Sahne. Lose im Aromabeutel."),
        }),
        p("anc-headphones", 2, "electronics", "standard", "89.00", (400, 22, 18, 8), {
            "de_DE": ("Bluetooth-Kopfhörer mit aktiver Geräuschunterdrückung",
                      "Over-Ear-Kopfhörer mit aktiver Geräuschunterdrückung, bis zu 40 Stunden Akkulaufzeit und "
                      "Schnellladen über USB-C. Faltbar, mit Transportetui."),
        }),
    )
    return TenantDemo("de", "Lena Schneider", shops, products)


def _france() -> TenantDemo:
    def p(*args: Any, **kwargs: Any) -> ProductSeed:
        return product("fr", *args, **kwargs)

    shops = (
        Shop("Maison Lumière", "Maison Lumière SARL", "company", "Camille Lefèvre",
             {"siren_siret": "834512976", "tva_number": "FR77834512976"},
             BankAccount("Maison Lumière SARL", "FR7630004008190001234567879"),
             _address("18 rue de Charonne", "Paris", "Île-de-France", "75011", "+33 1 43 55 12 34")),
        Shop("La Savonnerie du Vieux-Port", "Savonnerie du Vieux-Port SAS", "company", "Élodie Martin",
             {"siren_siret": "798456123"},
             BankAccount("Savonnerie du Vieux-Port SAS", "FR7611315000010800123456714"),
             _address("12 quai du Port", "Marseille", "Provence-Alpes-Côte d'Azur", "13002", "+33 4 91 90 12 34")),
        Shop("Le Comptoir Breton", "Le Comptoir Breton SAS", "company", "Yann Le Goff",
             {"siren_siret": "88123456700019"},
             BankAccount("Le Comptoir Breton SAS", "FR7616807001000321456789118"),
             _address("5 rue Saint-Georges", "Rennes", "Bretagne", "35000", "+33 2 99 12 34 56")),
    )
    products = (
        p("mariniere", 0, "fashion-women", "clothing", "45.00", (250, 30, 25, 3), {
            "fr_FR": ("Marinière en coton, col bateau",
                      "La marinière telle qu'on l'aime : jersey de coton épais, col bateau et rayures tissées, "
                      "fabriquée en Bretagne. Un basique qui traverse les saisons."),
        }, sizes=("36", "38", "40", "42", "44"), colours=(("WNV", "Blanc / marine"), ("ERD", "Écru / rouge"))),
        p("leather-handbag", 0, "fashion-women", "luxury", "395.00", (900, 35, 25, 15), {
            "fr_FR": ("Sac à main en cuir de veau, fabriqué en France",
                      "Sac à main structuré en cuir de veau pleine fleur, doublé de suédine, avec fermoir en "
                      "laiton doré, assemblé à la main dans un atelier de maroquinerie français. Livré avec sa "
                      "housse en coton."),
        }, colours=(("BLK", "Noir"), ("CML", "Camel"))),
        p("sailor-jumper", 0, "fashion-men", "clothing", "89.00", (600, 35, 28, 6), {
            "fr_FR": ("Pull marin en laine, boutonné à l'épaule",
                      "Pull marin en pure laine vierge à la maille serrée, boutonné sur l'épaule gauche comme "
                      "ceux des pêcheurs bretons. Chaud, coupe-vent et presque inusable."),
        }, sizes=("S", "M", "L", "XL"), colours=(("NVY", "Marine"), ("GRY", "Gris chiné"))),
        p("linen-shirt", 0, "fashion-men", "clothing", "69.00", (250, 30, 25, 3), {
            "fr_FR": ("Chemise en lin lavé",
                      "Chemise en lin lavé, douce dès le premier jour, à col classique et coupe droite. Elle se "
                      "porte un peu froissée : c'est tout son charme."),
        }, sizes=("S", "M", "L", "XL", "XXL"), colours=(("WHT", "Blanc"), ("LBL", "Bleu ciel"))),
        p("kids-raincoat", 0, "fashion-kids", "childrens_clothing", "39.00", (400, 30, 25, 5), {
            "fr_FR": ("Ciré enfant imperméable",
                      "Le ciré jaune des ports bretons en version enfant : coutures étanches, capuche doublée "
                      "et boutons pression faciles à fermer. Parfait pour les jours de crachin."),
        }, sizes=("4 ans", "6 ans", "8 ans"), colours=(("YLW", "Jaune"),)),
        p("marseille-soap", 1, "beauty", "standard", "5.90", (320, 9, 9, 6), {
            "fr_FR": ("Savon de Marseille à l'huile d'olive, 300 g",
                      "Savon de Marseille traditionnel à 72 % d'huile d'olive, cuit au chaudron et séché "
                      "plusieurs semaines. Sans parfum ni colorant, pour le corps, les mains et même le linge "
                      "délicat."),
        }),
        p("lavender-water", 1, "beauty", "standard", "12.50", (260, 6, 6, 18), {
            "fr_FR": ("Eau florale de lavande de Provence, 200 ml",
                      "Hydrolat de lavande fine de Haute-Provence, distillé à la vapeur d'eau. En brume "
                      "rafraîchissante sur le visage ou pour apaiser la peau après le soleil."),
        }),
        p("provencal-tablecloth", 1, "home", "standard", "49.00", (700, 30, 25, 4), {
            "fr_FR": ("Nappe en coton enduit, motif provençal, 150 × 250 cm",
                      "Nappe en coton enduit aux motifs d'olives et de cigales, qui s'essuie d'un coup "
                      "d'éponge. Idéale pour les repas en terrasse."),
        }),
        p("scented-candle", 1, "home", "standard", "22.00", (400, 9, 9, 10), {
            "fr_FR": ("Bougie parfumée figue et cèdre, 180 g",
                      "Bougie en cire végétale coulée à la main dans un verre ambré, au parfum de figue et de "
                      "cèdre. Environ 40 heures de combustion."),
        }),
        p("grandmother-cookbook", 2, "books", "books", "24.90", (850, 26, 20, 3), {
            "fr_FR": ("La cuisine de grand-mère : 100 recettes du terroir",
                      "Pot-au-feu, far breton, gratin dauphinois, tarte Tatin… Cent recettes de nos régions, "
                      "expliquées pas à pas et illustrées en couleur. Relié."),
        }),
        p("salted-caramel", 2, "food", "food", "7.50", (350, 8, 8, 9), {
            "fr_FR": ("Caramel au beurre salé, pot de 220 g",
                      "Caramel onctueux préparé en Bretagne avec du beurre demi-sel et de la fleur de sel de "
                      "Guérande. À tartiner sur une crêpe ou à déguster à la cuillère."),
        }),
        p("bluetooth-speaker", 2, "electronics", "standard", "59.00", (500, 20, 10, 10), {
            "fr_FR": ("Enceinte Bluetooth étanche",
                      "Enceinte portable étanche IP67, au son puissant et équilibré, avec 12 heures "
                      "d'autonomie et recharge en USB-C. Elle flotte : parfaite pour la plage ou la piscine."),
        }),
    )
    return TenantDemo("fr", "Chloé Moreau", shops, products)


def _spain() -> TenantDemo:
    def p(*args: Any, **kwargs: Any) -> ProductSeed:
        return product("es", *args, **kwargs)

    shops = (
        Shop("Moda Triana", "Moda Triana S.L.", "company", "Lucía Fernández",
             {"nif": "B41234567"},
             BankAccount("Moda Triana S.L.", "ES2721004567780200123456"),
             _address("Calle Betis, 34", "Sevilla", "Andalucía", "41010", "+34 954 12 34 56")),
        Shop("Jabones del Mediterráneo", "Jabones del Mediterráneo S.L.", "company", "Marta Puig",
             {"nif": "B98765432"},
             BankAccount("Jabones del Mediterráneo S.L.", "ES6601826013040201534876"),
             _address("Calle de Sueca, 45", "Valencia", "Comunidad Valenciana", "46006", "+34 963 45 67 89")),
        Shop("Ultramarinos La Mancha", "Ultramarinos La Mancha S.L.", "company", "Javier Ruiz",
             {"nif": "B13567890"},
             BankAccount("Ultramarinos La Mancha S.L.", "ES5220389432926001234567"),
             _address("Calle Mayor, 8", "Ciudad Real", "Castilla-La Mancha", "13001", "+34 926 21 43 65")),
    )
    products = (
        p("flamenca-dress", 0, "fashion-women", "clothing", "129.00", (700, 40, 30, 8), {
            "es_ES": ("Traje de flamenca con volantes",
                      "Traje de flamenca entallado, con volantes en la falda y en las mangas, confeccionado en "
                      "Triana. Listo para la Feria de Abril y las romerías."),
        }, sizes=("36", "38", "40", "42"),
            colours=(("RED", "Rojo con lunares blancos"), ("BLK", "Negro con lunares rojos"))),
        p("manton", 0, "fashion-women", "clothing", "189.00", (400, 30, 25, 4), {
            "es_ES": ("Mantón de Manila bordado a mano",
                      "Mantón de seda bordado a mano con motivos florales y largos flecos de seda. Una pieza "
                      "para toda la vida: en la Feria, en una boda o como adorno en casa."),
        }, colours=(("IVR", "Marfil"), ("RED", "Rojo"))),
        p("linen-shirt", 0, "fashion-men", "clothing", "49.95", (250, 30, 25, 3), {
            "es_ES": ("Camisa de lino para hombre",
                      "Camisa 100 % lino con cuello mao, fresca y ligera para los veranos del sur. Cuanto más "
                      "se lava, mejor queda."),
        }, sizes=("S", "M", "L", "XL"), colours=(("WHT", "Blanco"), ("LBL", "Azul cielo"))),
        p("espadrilles", 0, "fashion-men", "clothing", "29.95", (500, 30, 20, 12), {
            "es_ES": ("Alpargatas de yute cosidas a mano",
                      "Alpargatas de lona con suela de yute cosida a mano, hechas en La Rioja según la "
                      "tradición artesana. Frescas, ligeras y perfectas para el verano."),
        }, sizes=("40", "41", "42", "43", "44"), colours=(("NVY", "Azul marino"), ("BEI", "Beige"))),
        p("kids-knit-set", 0, "fashion-kids", "childrens_clothing", "34.90", (250, 25, 20, 4), {
            "es_ES": ("Conjunto de punto infantil, tejido a mano",
                      "Jersey y pantalón de punto de algodón tejidos a mano, suaves y transpirables. Un regalo "
                      "precioso para los más pequeños."),
        }, sizes=("2 años", "4 años", "6 años")),
        p("olive-soap", 1, "beauty", "standard", "5.50", (120, 8, 6, 3), {
            "es_ES": ("Jabón artesano de aceite de oliva y romero, 100 g",
                      "Jabón elaborado a mano en frío con aceite de oliva virgen extra y romero del "
                      "Mediterráneo. Limpia con suavidad y respeta hasta la piel más sensible."),
        }),
        p("orange-blossom-water", 1, "beauty", "standard", "9.90", (260, 6, 6, 18), {
            "es_ES": ("Agua de azahar, 200 ml",
                      "Agua floral de azahar de naranjos valencianos, destilada al vapor. Refresca y tonifica "
                      "la piel del rostro y es ideal para después del afeitado."),
        }),
        p("talavera-tableware", 1, "home", "standard", "149.00", (6000, 40, 35, 25), {
            "es_ES": ("Vajilla de cerámica de Talavera, 12 piezas",
                      "Vajilla pintada a mano en Talavera de la Reina: seis platos llanos y seis hondos con "
                      "motivos tradicionales en azul y amarillo."),
        }),
        p("botijo", 1, "home", "standard", "24.00", (1300, 25, 25, 30), {
            "es_ES": ("Botijo de barro tradicional, 2 litros",
                      "Botijo de barro cocido que mantiene el agua fresca sin nevera, como se ha hecho siempre "
                      "en los pueblos. Hecho a mano por alfareros de Agost, en Alicante."),
        }),
        p("spanish-cookbook", 2, "books", "books", "22.90", (800, 26, 20, 3), {
            "es_ES": ("La cocina de la abuela: 100 recetas tradicionales",
                      "Cocido madrileño, paella valenciana, pisto manchego y mucho más: cien recetas de "
                      "siempre, explicadas paso a paso y con fotografías a todo color. Tapa dura."),
        }),
        p("manchego", 2, "food", "food", "14.90", (550, 15, 10, 8), {
            "es_ES": ("Queso manchego curado D.O.P., cuña de 500 g",
                      "Queso de oveja manchega curado durante al menos seis meses, con Denominación de Origen "
                      "Protegida. Intenso y con un punto picante, perfecto con un buen tinto."),
        }),
        p("anc-headphones", 2, "electronics", "standard", "79.00", (400, 22, 18, 8), {
            "es_ES": ("Auriculares inalámbricos con cancelación de ruido",
                      "Auriculares de diadema con Bluetooth 5.3, cancelación activa de ruido y hasta 40 horas "
                      "de autonomía. Plegables, con funda de transporte y carga rápida por USB-C."),
        }),
    )
    return TenantDemo("es", "Sergio García", shops, products)


def _italy() -> TenantDemo:
    def p(*args: Any, **kwargs: Any) -> ProductSeed:
        return product("it", *args, **kwargs)

    shops = (
        Shop("Sartoria Fiorentina", "Sartoria Fiorentina S.r.l.", "company", "Giulia Bianchi",
             {"partita_iva": "06123450487", "sdi_code": "M5UXCR1"},
             BankAccount("Sartoria Fiorentina S.r.l.", "IT31T0306902887100000012345"),
             _address("Via de' Tornabuoni, 15", "Firenze", "Toscana", "50123", "+39 055 123 4567")),
        Shop("Bottega delle Essenze", "Bottega delle Essenze S.r.l.", "company", "Chiara Esposito",
             {"partita_iva": "07654320634"},
             BankAccount("Bottega delle Essenze S.r.l.", "IT54C0200838020000104512387"),
             _address("Corso Italia, 120", "Sorrento", "Campania", "80067", "+39 081 807 1234")),
        Shop("Emporio Bolognese", "Emporio Bolognese S.r.l.", "company", "Marco Rossi",
             {"partita_iva": "03456780370"},
             BankAccount("Emporio Bolognese S.r.l.", "IT23W0538702400000002345167"),
             _address("Via dell'Indipendenza, 42", "Bologna", "Emilia-Romagna", "40121", "+39 051 234 5678")),
    )
    products = (
        p("leather-bag", 0, "fashion-women", "luxury", "420.00", (900, 35, 25, 15), {
            "it_IT": ("Borsa a mano in pelle, fatta a mano a Firenze",
                      "Borsa in pelle di vitello conciata al vegetale, cucita a mano da artigiani fiorentini, "
                      "con tracolla removibile e fodera in cotone. Invecchia con eleganza, come le borse di "
                      "una volta."),
        }, colours=(("TAN", "Cuoio"), ("BLK", "Nero"))),
        p("linen-dress", 0, "fashion-women", "clothing", "119.00", (350, 32, 26, 4), {
            "it_IT": ("Abito in lino, linea morbida",
                      "Abito midi in puro lino italiano, con scollo a V e cintura in vita. Fresco e leggero, "
                      "perfetto per le giornate d'estate in città o al mare."),
        }, sizes=("40", "42", "44", "46", "48"), colours=(("WHT", "Bianco"), ("TER", "Terracotta"))),
        p("tailored-shirt", 0, "fashion-men", "clothing", "89.00", (300, 32, 26, 4), {
            "it_IT": ("Camicia sartoriale in cotone, collo alla francese",
                      "Camicia in popeline di cotone con collo alla francese e bottoni in madreperla, rifinita "
                      "a mano nel nostro laboratorio di Firenze. Taglie in centimetri di collo."),
        }, sizes=("39", "40", "41", "42", "43"), colours=(("WHT", "Bianco"), ("LBL", "Azzurro"))),
        p("suede-loafers", 0, "fashion-men", "clothing", "159.00", (900, 32, 20, 12), {
            "it_IT": ("Mocassini in pelle scamosciata",
                      "Mocassini in camoscio morbido con suola in cuoio, lavorati a mano nelle Marche. Comodi "
                      "fin dal primo giorno, eleganti con o senza calze."),
        }, sizes=("40", "41", "42", "43", "44"), colours=(("NVY", "Blu notte"), ("TAB", "Tabacco"))),
        p("kids-sweater", 0, "fashion-kids", "childrens_clothing", "29.90", (200, 25, 20, 3), {
            "it_IT": ("Maglioncino in cotone per bambini",
                      "Maglioncino girocollo in cotone biologico, morbido e traspirante, lavabile in "
                      "lavatrice. Ideale per le mezze stagioni."),
        }, sizes=("2 anni", "4 anni", "6 anni"), colours=(("NVY", "Blu"), ("RED", "Rosso"))),
        p("lemon-soap", 1, "beauty", "standard", "6.90", (170, 9, 6, 3), {
            "it_IT": ("Sapone al limone di Sorrento, 150 g",
                      "Sapone vegetale all'olio d'oliva con olio essenziale di limone di Sorrento, lavorato a "
                      "mano in penisola sorrentina. Profuma il bagno di agrumi e d'estate."),
        }),
        p("olive-hand-cream", 1, "beauty", "standard", "11.50", (100, 15, 5, 3), {
            "it_IT": ("Crema mani all'olio d'oliva, 75 ml",
                      "Crema mani nutriente all'olio extravergine d'oliva e burro di karité, che si assorbe in "
                      "fretta senza ungere. Ideale per le mani secche d'inverno."),
        }),
        p("vietri-plates", 1, "home", "standard", "89.00", (3500, 35, 30, 15), {
            "it_IT": ("Piatti in ceramica di Vietri dipinti a mano, set da 6",
                      "Sei piatti piani in ceramica di Vietri sul Mare, dipinti a mano con limoni e fiori nei "
                      "colori del Mediterraneo. Ogni pezzo è unico."),
        }),
        p("linen-tablecloth", 1, "home", "standard", "69.00", (800, 30, 25, 4), {
            "it_IT": ("Tovaglia in lino, 150 × 250 cm",
                      "Tovaglia in puro lino lavato, tessuta in Italia, che diventa più morbida a ogni "
                      "lavaggio. Per 8 persone."),
        }),
        p("it-cookbook", 2, "books", "books", "24.00", (950, 27, 20, 3), {
            "it_IT": ("Il ricettario di casa: 120 ricette della tradizione",
                      "Dai tortellini in brodo alla parmigiana, dal ragù della domenica al tiramisù: 120 "
                      "ricette regionali spiegate passo passo, con foto a colori. Copertina rigida."),
        }),
        p("parmigiano", 2, "food", "food", "29.90", (1050, 20, 12, 8), {
            "it_IT": ("Parmigiano Reggiano DOP 24 mesi, 1 kg",
                      "Parmigiano Reggiano stagionato 24 mesi, tagliato a mano e confezionato sottovuoto. "
                      "Friabile e saporito: da grattugiare sulla pasta o da gustare a scaglie con l'aceto "
                      "balsamico."),
        }),
        p("espresso-machine", 2, "electronics", "standard", "149.00", (5000, 35, 25, 35), {
            "it_IT": ("Macchina per caffè espresso con lancia vapore",
                      "Macchina espresso da 15 bar con portafiltro, lancia vapore per montare il latte e "
                      "scaldatazze. Funziona con caffè macinato e cialde ESE."),
        }),
    )
    return TenantDemo("it", "Alessandro Conti", shops, products)


def _ireland() -> TenantDemo:
    def p(*args: Any, **kwargs: Any) -> ProductSeed:
        return product("ie", *args, **kwargs)

    shops = (
        Shop("Inis Knitwear", "Inis Knitwear Limited", "company", "Aoife Byrne",
             {"cro_number": "612345", "vat_number": "IE3456789KH"},
             BankAccount("Inis Knitwear Limited", "IE68AIBK93115287654321"),
             _address("Quay Street", "Galway", "Co. Galway", "H91 T2XK", "+353 91 561 234")),
        Shop("Wild Atlantic Apothecary", "Wild Atlantic Apothecary Ltd", "company", "Niamh O'Sullivan",
             {"cro_number": "589012"},
             BankAccount("Wild Atlantic Apothecary Ltd", "IE43BOFI90001712345679"),
             _address("Main Street", "Ennistymon", "Co. Clare", "V95 K7P2", "+353 65 707 1234")),
        Shop("Liffey Lane Stores", "Liffey Lane Stores Limited", "company", "Ciarán Murphy",
             {"cro_number": "703456", "vat_number": "IE9876543W"},
             BankAccount("Liffey Lane Stores Limited", "IE36AIBK93208687654321"),
             _address("22 Capel Street", "Dublin 1", "Co. Dublin", "D01 E2F3", "+353 1 872 3456")),
    )
    products = (
        p("aran-cardigan", 0, "fashion-women", "clothing", "119.00", (700, 35, 28, 8), {
            "en_IE": ("Women's Aran Cable-knit Cardigan, Merino Wool",
                      "A traditional Aran cardigan with honeycomb and cable stitches, knitted in soft merino "
                      "wool in the west of Ireland. Wooden buttons and a relaxed, longline fit."),
        }, sizes=("S", "M", "L", "XL"), colours=(("NAT", "Báinín (natural)"), ("BLU", "Atlantic Blue"))),
        p("tweed-cape", 0, "fashion-women", "clothing", "145.00", (700, 35, 28, 8), {
            "en_IE": ("Women's Donegal Tweed Cape",
                      "A wrap cape in flecked Donegal tweed, woven in the north-west, with a stand collar and a "
                      "single horn button. Throw it over a jumper on a bright, blustery day."),
        }, colours=(("HTH", "Heather"), ("MSS", "Moss"))),
        p("aran-sweater", 0, "fashion-men", "clothing", "109.00", (800, 35, 28, 8), {
            "en_IE": ("Men's Aran Crew-neck Sweater",
                      "The classic fisherman's sweater: a crew neck in pure new wool with cable, diamond and "
                      "moss stitches. Warm, hard-wearing and naturally water-resistant."),
        }, sizes=("S", "M", "L", "XL", "XXL"), colours=(("NAT", "Natural"), ("CHR", "Charcoal"))),
        p("tweed-cap", 0, "fashion-men", "clothing", "45.00", (120, 25, 22, 8), {
            "en_IE": ("Men's Donegal Tweed Flat Cap",
                      "A flat cap in Donegal tweed with a quilted lining and a cotton sweatband, made in "
                      "Ireland. Soft enough to roll into a pocket when the sun comes out."),
        }, sizes=("S", "M", "L", "XL"), colours=(("GRY", "Grey Herringbone"), ("BRN", "Brown Fleck"))),
        p("kids-aran", 0, "fashion-kids", "childrens_clothing", "49.00", (350, 30, 25, 5), {
            "en_IE": ("Children's Aran Sweater",
                      "A mini version of our Aran sweater, knitted in soft merino that's gentle on small necks "
                      "and machine washable on a wool cycle."),
        }, sizes=("2–3 years", "4–5 years", "6–7 years")),
        p("seaweed-bath", 1, "beauty", "standard", "16.00", (550, 10, 10, 12), {
            "en_IE": ("Seaweed Bath Salts, 500 g",
                      "Sea salt blended with seaweed hand-harvested on the Clare coast, for a mineral-rich soak "
                      "that softens the skin. The old seaweed baths of the west, in your own bathroom."),
        }),
        p("honey-oat-soap", 1, "beauty", "standard", "6.50", (120, 8, 6, 3), {
            "en_IE": ("Irish Honey & Oat Soap, 100 g",
                      "A gentle cold-process soap with Irish honey and ground oats to soothe dry skin. Made by "
                      "hand in Co. Clare."),
        }),
        p("pottery-mug", 1, "home", "standard", "24.00", (450, 12, 12, 12), {
            "en_IE": ("Hand-thrown Stoneware Mug, 350 ml",
                      "A sturdy stoneware mug thrown on the wheel in a small Clare pottery, glazed in the "
                      "greens and greys of the Burren. Dishwasher safe."),
        }),
        p("lambswool-throw", 1, "home", "standard", "89.00", (1000, 40, 30, 10), {
            "en_IE": ("Lambswool Throw, 140 × 180 cm",
                      "A soft lambswool throw woven in an Irish mill in a classic windowpane check. Warm on "
                      "the sofa and light enough to bring on a picnic."),
        }),
        p("irish-cookbook", 2, "books", "books", "19.99", (750, 25, 20, 2), {
            "en_IE": ("Soda Bread & Stew: Traditional Irish Home Cooking",
                      "Brown bread, coddle, colcannon and barmbrack: the recipes of Irish kitchens, from the "
                      "Sunday roast to the Christmas cake, with stories from the families who shared them."),
        }),
        p("breakfast-tea", 2, "food", "food", "4.50", (280, 15, 8, 8), {
            "en_IE": ("Irish Breakfast Tea, 80 Tea Bags",
                      "A strong, malty blend of Assam and Kenyan teas that stands up to a good drop of milk. "
                      "The proper start to the day."),
        }),
        p("bluetooth-speaker", 2, "electronics", "standard", "49.99", (500, 20, 10, 10), {
            "en_IE": ("Portable Bluetooth Speaker, Splash-proof",
                      "A compact speaker with rich sound, 12 hours of battery life and USB-C charging. IPX5 "
                      "splash-proof, so a shower of rain won't end the party."),
        }),
    )
    return TenantDemo("ie", "Seán Kelly", shops, products)


def _netherlands() -> TenantDemo:
    def p(*args: Any, **kwargs: Any) -> ProductSeed:
        return product("nl", *args, **kwargs)

    shops = (
        Shop("Atelier Noord", "Atelier Noord B.V.", "company", "Sanne de Vries",
             {"kvk_number": "81234567", "btw_id": "NL862345678B01"},
             BankAccount("Atelier Noord B.V.", "NL64ABNA0417164301"),
             _address("Haarlemmerdijk 150", "Amsterdam", "Noord-Holland", "1013 JJ", "+31 20 123 4567")),
        Shop("Huis van Zeep", "Huis van Zeep B.V.", "company", "Femke Jansen",
             {"kvk_number": "72345678", "btw_id": "NL859012345B01"},
             BankAccount("Huis van Zeep B.V.", "NL72INGB0006543217"),
             _address("Twijnstraat 33", "Utrecht", "Utrecht", "3511 ZH", "+31 30 231 4567")),
        Shop("Warenhuis Zuid", "Warenhuis Zuid B.V.", "company", "Daan Bakker",
             {"kvk_number": "69876543", "btw_id": "NL857654321B01"},
             BankAccount("Warenhuis Zuid B.V.", "NL81RABO0312345678"),
             _address("Witte de Withstraat 60", "Rotterdam", "Zuid-Holland", "3012 BS", "+31 10 412 3456")),
    )
    products = (
        p("wool-coat", 0, "fashion-women", "clothing", "159.00", (1300, 45, 35, 10), {
            "nl_NL": ("Wollen jas met ceintuur",
                      "Halflange jas van gerecyclede wol met een strikceintuur en diepe zakken. Warm genoeg "
                      "voor een Hollandse winter en netjes genoeg voor kantoor."),
        }, sizes=("36", "38", "40", "42", "44"), colours=(("CML", "Camel"), ("NVY", "Donkerblauw"))),
        p("raincoat", 0, "fashion-women", "clothing", "89.95", (600, 35, 28, 6), {
            "nl_NL": ("Regenjas, waterdicht en ademend",
                      "Lange regenjas met capuchon, getapete naden en ventilatie onder de armen. Gemaakt om "
                      "door de regen te fietsen zonder nat of bezweet aan te komen."),
        }, sizes=("XS", "S", "M", "L", "XL"), colours=(("OKR", "Okergeel"), ("BLK", "Zwart"))),
        p("organic-shirt", 0, "fashion-men", "clothing", "59.95", (300, 32, 26, 4), {
            "nl_NL": ("Herenoverhemd van biologisch katoen",
                      "Overhemd van biologisch katoen met button-downkraag en een normale pasvorm. Makkelijk te "
                      "strijken en even goed onder een colbert als op een spijkerbroek."),
        }, sizes=("S", "M", "L", "XL", "XXL"), colours=(("WHT", "Wit"), ("LBL", "Lichtblauw"))),
        p("chinos", 0, "fashion-men", "clothing", "69.95", (450, 32, 26, 4), {
            "nl_NL": ("Herenchino, slim fit",
                      "Chino van stretchkatoen met een smalle pijp en een normale taille. Comfortabel op de "
                      "fiets en netjes bij een overhemd."),
        }, sizes=("46", "48", "50", "52", "54"), colours=(("SND", "Zand"), ("NVY", "Marine"))),
        p("kids-rainsuit", 0, "fashion-kids", "childrens_clothing", "34.95", (450, 30, 25, 5), {
            "nl_NL": ("Kinderregenpak, waterdicht",
                      "Regenjas en regenbroek met getapete naden, reflecterende details en een afneembare "
                      "capuchon. Zo komen kinderen droog op school aan."),
        }, sizes=("92/98", "104/110", "116/122"), colours=(("YLW", "Geel"),)),
        p("oat-soap", 1, "beauty", "standard", "5.95", (120, 8, 6, 3), {
            "nl_NL": ("Handgemaakte havermoutzeep, 100 g",
                      "Koudgeroerde zeep met havermout, olijfolie en sheaboter, zonder palmolie en zonder "
                      "parfum. Mild voor een droge en gevoelige huid."),
        }),
        p("lip-balm", 1, "beauty", "standard", "4.50", (30, 6, 3, 3), {
            "nl_NL": ("Lippenbalsem met bijenwas, 10 ml",
                      "Lippenbalsem van Nederlandse bijenwas, amandelolie en cacaoboter in een metalen blikje. "
                      "Beschermt tegen wind en kou."),
        }),
        p("delft-vase", 1, "home", "standard", "49.95", (900, 20, 20, 30), {
            "nl_NL": ("Delfts blauwe vaas, handbeschilderd",
                      "Vaas van aardewerk, met de hand beschilderd in Delfts blauw met een klassiek "
                      "bloemmotief. 22 cm hoog: een cadeau met een verhaal."),
        }),
        p("wool-plaid", 1, "home", "standard", "69.00", (1100, 40, 30, 10), {
            "nl_NL": ("Plaid van gerecyclede wol, 130 × 170 cm",
                      "Zachte plaid van gerecyclede wol, geweven in Tilburg, met ruitpatroon en franjes. Warm "
                      "op de bank of op een koude avond op het terras."),
        }),
        p("dutch-cookbook", 2, "books", "books", "24.99", (800, 26, 20, 3), {
            "nl_NL": ("Hollandse pot: 100 klassieke recepten",
                      "Stamppot, erwtensoep, hachee en appeltaart: honderd recepten uit de Nederlandse keuken, "
                      "stap voor stap uitgelegd en in kleur gefotografeerd. Gebonden."),
        }),
        p("gouda", 2, "food", "food", "16.95", (1050, 20, 12, 8), {
            "nl_NL": ("Goudse boerenkaas, belegen, 1 kg",
                      "Boerenkaas van rauwe melk, gemaakt op een boerderij bij Gouda en minstens vier maanden "
                      "gerijpt. Romig, vol van smaak en lekker op brood of bij de borrel."),
        }),
        p("bike-lights", 2, "electronics", "standard", "29.95", (200, 15, 10, 5), {
            "nl_NL": ("Fietslampjesset, oplaadbaar via USB-C",
                      "Voor- en achterlicht met stevige klem, tot 10 uur brandduur per lading en opladen via "
                      "USB-C. Zo fiets je veilig de donkere maanden door."),
        }),
    )
    return TenantDemo("nl", "Lotte Visser", shops, products)


# --- United States ------------------------------------------------------------------------------
def _united_states() -> TenantDemo:
    def p(*args: Any, **kwargs: Any) -> ProductSeed:
        return product("us", *args, **kwargs)

    shops = (
        Shop("Brooklyn Thread Co.", "Brooklyn Thread Co. LLC", "company", "Jasmine Carter",
             {"ein": "84-1234567", "state_of_incorporation": "NY"},
             BankAccount("Brooklyn Thread Co. LLC", "483920175", "021000021"),
             _address("180 Wythe Ave", "Brooklyn", "NY", "11249", "+1 718-555-0123")),
        Shop("Desert Bloom Botanicals", "Desert Bloom Botanicals LLC", "company", "María González",
             {"ein": "86-2345678", "state_of_incorporation": "AZ"},
             BankAccount("Desert Bloom Botanicals LLC", "7720194836", "122105155"),
             _address("245 E Congress St", "Tucson", "AZ", "85701", "+1 520-555-0142")),
        Shop("Lone Star General Store", "Lone Star General Store, Inc.", "company", "Ethan Walker",
             {"ein": "47-3456789", "state_of_incorporation": "DE", "sales_tax_permit": "32087654321"},
             BankAccount("Lone Star General Store, Inc.", "004412785519", "111000025"),
             _address("1100 S Congress Ave", "Austin", "TX", "78704", "+1 512-555-0198")),
    )
    products = (
        p("straight-jeans", 0, "fashion-women", "clothing", "68.00", (600, 35, 28, 5), {
            "en_US": ("Women's High-Rise Straight Jeans",
                      "Rigid 100% cotton denim with a high rise and a straight leg, cut and sewn in New York. "
                      "They break in beautifully and only get better with wear."),
            "es_US": ("Jeans rectos de tiro alto para mujer",
                      "Mezclilla 100 % algodón, de tiro alto y pierna recta, cortados y cosidos en Nueva York. "
                      "Se amoldan a tu cuerpo y mejoran con cada puesta."),
        }, sizes=("2", "4", "6", "8", "10", "12"), colours=(("MED", "Medium Wash"), ("LGT", "Light Wash"))),
        p("wrap-dress", 0, "fashion-women", "clothing", "79.00", (350, 32, 26, 4), {
            "en_US": ("Women's Organic Cotton Wrap Dress",
                      "A midi wrap dress in soft organic cotton jersey with flutter sleeves and a tie waist. "
                      "Easy to dress up or down, from brunch to the office."),
            "es_US": ("Vestido cruzado de algodón orgánico para mujer",
                      "Vestido cruzado a media pierna en suave punto de algodón orgánico, con mangas con vuelo "
                      "y lazo en la cintura. Ideal para el brunch o la oficina."),
        }, sizes=("XS", "S", "M", "L", "XL"), colours=(("BLK", "Black"), ("SGE", "Sage"))),
        p("flannel-shirt", 0, "fashion-men", "clothing", "49.50", (400, 32, 26, 4), {
            "en_US": ("Men's Brushed Cotton Flannel Shirt",
                      "A heavyweight flannel shirt in brushed cotton with two button-flap chest pockets. Warm "
                      "on its own in the fall and a layer you'll reach for all winter."),
            "es_US": ("Camisa de franela de algodón cepillado para hombre",
                      "Camisa de franela gruesa de algodón cepillado, con dos bolsillos con solapa en el "
                      "pecho. Abriga sola en otoño y es la capa perfecta para todo el invierno."),
        }, sizes=("S", "M", "L", "XL", "XXL"), colours=(("RED", "Red Plaid"), ("GRN", "Green Plaid"))),
        p("work-jacket", 0, "fashion-men", "clothing", "98.00", (1100, 40, 30, 8), {
            "en_US": ("Men's Canvas Work Jacket",
                      "A rugged cotton duck canvas chore jacket with a corduroy collar, blanket lining and "
                      "triple-stitched seams. Built to take a beating on the job or on the weekend."),
            "es_US": ("Chaqueta de trabajo de lona para hombre",
                      "Chaqueta de lona de algodón resistente, con cuello de pana, forro de manta y costuras "
                      "triples. Hecha para aguantar el trabajo duro entre semana y el fin de semana."),
        }, sizes=("S", "M", "L", "XL", "XXL"), colours=(("BRN", "Brown"), ("NVY", "Navy"))),
        p("kids-tees", 0, "fashion-kids", "childrens_clothing", "19.99", (250, 25, 20, 3), {
            "en_US": ("Kids' Graphic Tees, 2-Pack",
                      "Two soft cotton tees with screen-printed dinosaur and rocket designs. Tagless for "
                      "comfort and made to survive the playground and the washing machine."),
            "es_US": ("Camisetas estampadas para niños, paquete de 2",
                      "Dos camisetas de algodón suave con estampados de dinosaurio y cohete. Sin etiqueta para "
                      "mayor comodidad y hechas para aguantar el recreo y la lavadora."),
        }, sizes=("XS (4–5)", "S (6–7)", "M (8)", "L (10–12)")),
        p("body-butter", 1, "beauty", "standard", "18.00", (300, 9, 9, 7), {
            "en_US": ("Prickly Pear Body Butter, 8 oz",
                      "A rich whipped body butter with prickly pear seed oil, shea butter and aloe, made in "
                      "small batches in Tucson. Melts right in and keeps skin soft through dry desert days."),
            "es_US": ("Crema corporal de tuna y karité, 8 oz",
                      "Crema corporal batida con aceite de semilla de tuna, manteca de karité y sábila, hecha "
                      "en pequeños lotes en Tucson. Se absorbe fácilmente y mantiene la piel suave aun en el "
                      "clima seco del desierto."),
        }),
        p("face-moisturizer", 1, "beauty", "standard", "24.00", (100, 6, 6, 6), {
            "en_US": ("Aloe & Agave Face Moisturizer, 1.7 oz",
                      "A lightweight daily moisturizer with aloe vera, agave nectar and hyaluronic acid. "
                      "Fragrance-free and gentle enough for sensitive skin."),
            "es_US": ("Crema hidratante facial de sábila y agave, 1.7 oz",
                      "Crema hidratante ligera de uso diario con sábila, néctar de agave y ácido hialurónico. "
                      "Sin fragancia y suave incluso para la piel sensible."),
        }),
        p("soy-candle", 1, "home", "standard", "28.00", (600, 10, 10, 12), {
            "en_US": ("Sage & Cedar Soy Candle, 12 oz",
                      "A hand-poured soy wax candle with a cotton wick and notes of desert sage and cedarwood. "
                      "About 60 hours of clean, even burn."),
            "es_US": ("Vela de soya de salvia y cedro, 12 oz",
                      "Vela de cera de soya vertida a mano, con mecha de algodón y aroma a salvia del desierto "
                      "y madera de cedro. Unas 60 horas de combustión limpia y pareja."),
        }),
        p("cotton-throw", 1, "home", "standard", "65.00", (1000, 40, 30, 10), {
            "en_US": ("Handwoven Cotton Throw Blanket, 50 × 60 in",
                      "A handwoven cotton throw with fringed edges in a Southwestern stripe pattern. Soft, "
                      "breathable and machine washable."),
            "es_US": ("Manta de algodón tejida a mano, 50 × 60 in",
                      "Manta de algodón tejida a mano, con flecos y rayas de estilo del suroeste. Suave, "
                      "transpirable y lavable a máquina."),
        }),
        p("tex-mex-cookbook", 2, "books", "books", "24.99", (900, 26, 20, 3), {
            "en_US": ("Weeknight Tex-Mex: 75 Family Recipes",
                      "Enchiladas, fajitas, breakfast tacos and queso, all on the table in 45 minutes or less. "
                      "Seventy-five family-tested recipes with full-color photos."),
            "es_US": ("Tex-Mex entre semana: 75 recetas familiares",
                      "Enchiladas, fajitas, tacos de desayuno y queso fundido, todo listo en 45 minutos o "
                      "menos. Setenta y cinco recetas probadas en familia, con fotos a todo color."),
        }),
        p("pecans", 2, "food", "food", "15.99", (500, 20, 14, 6), {
            "en_US": ("Texas Pecan Halves, Roasted & Salted, 16 oz",
                      "Fresh-crop pecan halves from Texas orchards, slow-roasted and lightly salted. Snack on "
                      "them straight from the bag or toss them into a salad."),
            "es_US": ("Mitades de nuez pecana de Texas, tostadas y saladas, 16 oz",
                      "Nueces pecanas de la cosecha más reciente de huertos de Texas, tostadas lentamente y "
                      "ligeramente saladas. Para botanear directo de la bolsa o para agregar a una ensalada."),
        }),
        p("anc-headphones", 2, "electronics", "standard", "129.99", (400, 22, 18, 8), {
            "en_US": ("Wireless Noise-Canceling Headphones",
                      "Over-ear Bluetooth headphones with active noise canceling, up to 40 hours of battery "
                      "life and fast USB-C charging. Foldable, with a hard carrying case."),
            "es_US": ("Audífonos inalámbricos con cancelación de ruido",
                      "Audífonos Bluetooth de diadema con cancelación activa de ruido, hasta 40 horas de "
                      "batería y carga rápida por USB-C. Plegables, con estuche rígido."),
        }),
    )
    return TenantDemo("us", "Emily Johnson", shops, products)


#: Tenant code → its demo content, for the 14 reference tenants.
TENANTS: Mapping[str, TenantDemo] = MappingProxyType({
    demo.code: demo for demo in (
        _indonesia(), _malaysia(), _thailand(), _vietnam(), _philippines(), _singapore(),
        _united_kingdom(), _germany(), _france(), _spain(), _italy(), _ireland(), _netherlands(),
        _united_states(),
    )
})


# --- social commerce: a creator, videos, a live session, a flash deal ---------------------------
#: Which demo products the social content uses (indexes into a shop's products, in seed order),
#: so every caption below can talk about the products it anchors.
VIDEO_ANCHORS: tuple[tuple[int, tuple[int, ...]], ...] = (
    (0, (0, 1)),  # video 1, by the first shop: its first two (clothes)
    (2, (0, 1)),  # video 2, by the third shop: its cookbook and its food
)
COLLABORATION_SHOP, COLLABORATION_PRODUCTS = 1, (0, 1)  # the creator promotes the second shop's two
LIVE_SHOP, LIVE_PRODUCTS = 0, (0, 1, 2)  # the first shop's live shows its first three, pins the first
DEAL_SHOP, DEAL_PRODUCT = 2, 1  # the flash deal: the third shop's food product
#: The flash deal's terms: 20 % off, 10 units, at most 2 a buyer, for a week from the seed time.
DEAL_DISCOUNT, DEAL_QUOTA, DEAL_PER_BUYER, DEAL_DAYS = "0.20", 10, 2, 7
COLLABORATION_RATE, COLLABORATION_DAYS = "0.10", 365


def creator_email(code: str) -> str:
    return f"creator@{code}.pasar.example"


def video_media_url(code: str, number: int) -> str:
    """Where demo video ``number`` (1-based) of tenant ``code`` would be stored."""
    return f"https://media.pasar.example/demo/{code}/{number}.mp4"


@dataclass(frozen=True)
class SocialDemo:
    """A tenant's creator and social content, in the tenant's default language. ``captions``
    are of the first shop's video, the third shop's and the creator's (see ``VIDEO_ANCHORS``,
    ``COLLABORATION_PRODUCTS``); ``live_title`` is the first shop's live session."""

    creator_handle: str
    creator_name: str
    captions: tuple[str, str, str]
    live_title: str


#: Tenant code → its social demo content (every reference tenant, so a tenant file that turns a
#: feature on later still seeds; ``pasar demo seed`` skips each part whose feature is off).
SOCIAL: Mapping[str, SocialDemo] = MappingProxyType({
    "id": SocialDemo("nadiarahma", "Nadia Rahmawati", (
        "Dua andalan dari Solo: dress batik parang yang adem dan kebaya kutubaru buat kondangan. "
        "Kalian pilih yang mana?",
        "Weekend ini masak bareng buku Resep Masakan Nusantara, ditemani kopi Gayo yang baru disangrai ☕",
        "Rutinitas mandi ala keraton: luluran bengkuang dua kali seminggu, terus minyak kemiri buat rambut. "
        "Kulit halus, rambut makin berkilau!",
    ), "Live Toko Batik Sari: koleksi terbaru langsung dari Laweyan"),
    "my": SocialDemo("farahnabilah", "Farah Nabilah", (
        "Baju kurung satin moden dengan tudung bawal cotton voile, padanan cantik untuk pagi raya. "
        "Yang mana pilihan korang?",
        "Cuba resipi Nyonya dari Dapur Peranakan sambil hirup kopi Tenom panas. Sedap sungguh!",
        "Rutin penjagaan diri minggu ni: sabun susu kambing buatan tangan dan minyak rambut bunga raya. "
        "Lembut dan wangi sepanjang hari.",
    ), "Live Butik Songket Seri Kelantan: koleksi raya terbaru"),
    "th": SocialDemo("pimchanok.review", "พิมพ์ชนก ใจดี", (
        "ผ้าถุงไหมมัดหมี่จากปักธงชัย คู่กับเสื้อผ้าฝ้ายทอมือคอจีน ใส่ไปทำบุญหรือไปงานก็สวย ชอบลายไหนบอกกันได้นะคะ",
        "เปิดตำราอาหารไทยต้นตำรับ หุงข้าวหอมมะลิทุ่งกุลาร้องไห้ร้อน ๆ มื้อนี้อร่อยแบบบ้าน ๆ เลยค่ะ",
        "สกินแคร์ตัวโปรดช่วงนี้ ครีมขมิ้นชันกับสบู่มะขามน้ำผึ้ง ใช้แล้วผิวดูสดใสขึ้นจริง ลองดูนะคะ",
    ), "ไลฟ์สดร้านผ้าไหมสยาม: ผ้าทอมือคอลเลกชันใหม่"),
    "vn": SocialDemo("ngoctram.review", "Nguyễn Ngọc Trâm", (
        "Áo dài lụa tơ tằm thêu sen và đầm suông linen: một cho ngày lễ, một cho ngày thường. "
        "Bạn chọn mẫu nào?",
        "Cuối tuần vào bếp cùng cuốn Ẩm thực ba miền, nhâm nhi ly cà phê Buôn Ma Thuột. Chuẩn vị nhà làm!",
        "Bí quyết dưỡng da mùa hanh khô của mình: dầu dừa Bến Tre ép lạnh và son dưỡng sáp ong. "
        "Mềm mịn cả ngày luôn!",
    ), "Live Áo Dài Hoa Sen: bộ sưu tập lụa mới"),
    "ph": SocialDemo("beasantos.ph", "Bea Santos", (
        "Filipiniana na blusa at bestidang inabel, swak na swak sa Buwan ng Wika o sa kasal. Alin ang bet mo?",
        "Lutong bahay tayo ngayong Linggo gamit ang Lutong Bahay cookbook, tapos pinatuyong mangga ng Cebu "
        "para sa panghimagas!",
        "Skincare ko ngayong tag-init: virgin coconut oil sa balat at buhok, at sabong papaya at kalamansi. "
        "Ang fresh sa pakiramdam!",
    ), "Live sa Burda ng Lumban: mga bagong burdadong piyesa"),
    "sg": SocialDemo("jasminetan.sg", "Jasmine Tan", (
        "Nyonya kebaya with hand-embroidered peonies, or a linen cheongsam for a breezy day out? "
        "Tell me which one you'd pick!",
        "Chicken rice from Hawker Classics tonight, kaya toast with pandan kaya tomorrow morning. Shiok!",
        "My go-to for this humid weather: pandan and coconut body lotion, plus kaffir lime hand soap. "
        "Smells like home.",
    ), "Kebaya Lane Live: new season kebaya"),
    "uk": SocialDemo("hannahclarke", "Hannah Clarke", (
        "Autumn sorted: a merino cable-knit jumper and a waxed cotton field jacket for muddy weekend walks.",
        "Sunday pud from Proper Puddings, and Seville orange marmalade on toast the morning after. Lovely.",
        "My wind-down routine: a lavender and oat bath soak, then rose geranium hand cream. Bliss.",
    ), "Bramble & Thread Live: knitwear for the new season"),
    "ie": SocialDemo("aoifebyrne", "Aoife Byrne", (
        "An Aran cardigan and a Donegal tweed cape: what I reach for every time the wind picks up "
        "off the Atlantic.",
        "Stew and soda bread from the new cookbook, with a proper pot of Irish breakfast tea. Grand.",
        "Seaweed bath salts after a long day, honey and oat soap in the morning. Gorgeous stuff.",
    ), "Inis Knitwear Live: Aran knits for the winter"),
    "us": SocialDemo("madisoncarter", "Madison Carter", (
        "Two pieces I basically live in: high-rise straight jeans and an organic cotton wrap dress. "
        "Dress them up or down!",
        "Taco night from Weeknight Tex-Mex, with roasted Texas pecans for snacking. Y'all, so good.",
        "My desert-proof skincare: prickly pear body butter and an aloe and agave face moisturizer. Obsessed!",
    ), "Brooklyn Thread Co. Live: the denim drop"),
    "de": SocialDemo("mariehoffmann", "Marie Hoffmann", (
        "Fürs Oktoberfest oder die nächste Hochzeit: Dirndl „Rosalie“ mit Schürze und dazu die warme "
        "Walkjacke. Welches Outfit gefällt euch?",
        "Sonntags backen mit Omas Backbuch, dazu eine Kanne Ostfriesentee. Gemütlicher geht's nicht.",
        "Meine Pflege für kalte Tage: Ringelblumenseife und Bio-Handcreme mit Sheabutter. "
        "Eure Hände werden es euch danken!",
    ), "Live aus der Trachtenstube Alpenrose: die neue Dirndl-Kollektion"),
    "fr": SocialDemo("camilledubois", "Camille Dubois", (
        "La marinière col bateau et le sac en cuir de veau fabriqué en France : le duo parfait pour "
        "un week-end à la mer. Vous préférez lequel ?",
        "Ce soir, une recette de « La cuisine de grand-mère », et en dessert, du caramel au beurre salé. "
        "Un délice !",
        "Ma routine du moment : savon de Marseille à l'huile d'olive et eau florale de lavande. "
        "Simple et efficace.",
    ), "En direct de Maison Lumière : la nouvelle collection"),
    "es": SocialDemo("luciafernandez", "Lucía Fernández", (
        "Traje de flamenca con volantes y mantón de Manila bordado a mano: ¡lista para la Feria! "
        "¿Cuál os gusta más?",
        "Hoy cocinamos con «La cocina de la abuela» y, de aperitivo, queso manchego curado. ¡Qué rico!",
        "Mi rutina de cuidado: jabón artesano de aceite de oliva y romero, y un toque de agua de azahar. "
        "Huele a Mediterráneo.",
    ), "Directo de Moda Triana: la nueva colección de flamenca"),
    "it": SocialDemo("giuliaromano", "Giulia Romano", (
        "Borsa in pelle fatta a mano a Firenze e abito in lino dalla linea morbida: l'abbinamento "
        "perfetto per l'estate. Voi quale scegliete?",
        "Stasera si cucina con «Il ricettario di casa», con una bella grattugiata di Parmigiano Reggiano "
        "24 mesi. Buon appetito!",
        "La mia beauty routine: sapone al limone di Sorrento e crema mani all'olio d'oliva. "
        "Profumo d'estate tutto l'anno.",
    ), "In diretta dalla Sartoria Fiorentina: la nuova collezione"),
    "nl": SocialDemo("sannedejong", "Sanne de Jong", (
        "Een wollen jas met ceintuur en een regenjas die echt waterdicht is: klaar voor het Hollandse weer. "
        "Welke kies jij?",
        "Vanavond koken uit Hollandse pot, met een blokje belegen Goudse boerenkaas vooraf. Smullen!",
        "Mijn verzorgingsroutine: handgemaakte havermoutzeep en lippenbalsem met bijenwas. Zacht en puur.",
    ), "Live bij Atelier Noord: de nieuwe wintercollectie"),
})
