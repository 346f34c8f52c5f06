"""The words the care check looks for. Data only; ``outreach.care`` does the matching.

Patterns are regular expressions over *normalised* text: lower case, accents stripped (so "policía"
and "policia" both match ``policia``), apostrophes kept. Write them with ``\\b`` word boundaries.
English patterns are checked in every language, because Pidgin and many French and Spanish messages
mix in English words.

The blocked categories and their rules come from docs/compliance-reference.md section 5 ("Tone:
wording to block"); each category keeps the rule codes it enforces. Pidgin phrases are illustrative
translations (as the reference says), extended with common variants.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BlockedCategory:
    key: str
    label: str
    rule: str
    suggestion: str
    patterns: dict[str, tuple[str, ...]]


BLOCKED: tuple[BlockedCategory, ...] = (
    BlockedCategory(
        key="arrest_criminal",
        label="Arrest, jail or criminal charges",
        rule="12 CFR 1006.18(b)(3), (b)(1)(iv); CONC 7.11.6R; 940 CMR 7.04(1)(b)",
        suggestion="Owing money is not a crime. Remove any mention of police, arrest, jail or charges.",
        patterns={
            "en": (
                r"\barrest(ed|s|ing)?\b", r"\bpolice\b", r"\bwarrant\b", r"\bcriminal\b", r"\bjail\b",
                r"\bprison\b", r"\befcc\b", r"\block(ed)?\s+(you\s+)?up\b", r"\bcharged\s+with\b",
                r"\bhandcuff", r"\bdetain(ed)?\b",
            ),
            "pcm": (
                r"\bpolice\s+go\s+(come\s+)?(carry|arrest|pick|catch)\b", r"\bgo\s+lock\s+(you|una)\s+up\b",
                r"\befcc\s+go\b", r"\bgo\s+enter\s+(cell|prison|jail|kirikiri)\b", r"\bdem\s+go\s+arrest\b",
            ),
            "fr": (
                r"\barrestation\b", r"\b(serez|sera|etre|etes)\s+arrete(e|s)?\b", r"\bpolice\b",
                r"\bmandat\s+d'\s?arret\b", r"\bprison\b", r"\bplainte\s+penale\b", r"\bpenalement\b",
                r"\bgendarm\w*", r"\bcasier\s+judiciaire\b",
            ),
            "es": (
                r"\barrest(o|ado|ada|ar|arle|aran)\b", r"\bdetenid[oa]\b", r"\bpolicia\b",
                r"\borden\s+de\s+(arresto|captura)\b", r"\bcarcel\b", r"\bprision\b", r"\bdenuncia\s+penal\b",
                r"\bpenalmente\b", r"\bdelito\b",
            ),
        },
    ),
    BlockedCategory(
        key="unlawful_threat",
        label="Threat of action that is not lawful or not intended",
        rule="12 CFR 1006.18(c)(1), (b)(3); CONC 7.11.6R",
        suggestion="Say what can actually happen next, in plain words, without threats.",
        patterns={
            "en": (
                r"\bseiz(e|ed|es|ing|ure)\b", r"\bgarnish\w*", r"\brepossess\w*", r"\bconfiscat\w*",
                r"\bfil(e|ing)\s+(a\s+)?(law)?suit\b", r"\bbankruptcy\b", r"\btake\s+your\s+(car|house|home|property)\b",
                r"\bauction\s+your\b", r"\bdock\s+your\s+(pay|wages)\b",
            ),
            "pcm": (
                r"\bgo\s+(carry|seize|collect|take)\s+your\s+(car|house|moto|okada|property|shop|land|things)\b",
                r"\bgo\s+lock\s+your\s+(shop|house)\b", r"\bgo\s+seize\b",
            ),
            "fr": (
                r"\bsaisi(r|e|es|sons|rons|ra)\b", r"\bsaisie\s+sur\s+salaire\b", r"\bfaillite\b",
                r"\bconfisqu\w*", r"\bexpuls\w*",
            ),
            "es": (
                r"\bembarg(o|ar|aremos|amos|arle)\b", r"\bincaut\w*", r"\bquitarle\s+su\s+(casa|auto|coche|carro)\b",
                r"\bbancarrota\b", r"\bquiebra\b", r"\bdesalojo\b",
            ),
        },
    ),
    BlockedCategory(
        key="suit_threat",
        label="Threat to sue (a template cannot know the debt is not time-barred)",
        rule="12 CFR 1006.26(b); 12 CFR 1006.18(c)(1); CONC 7.15",
        suggestion="Do not mention court or suing. A template goes to many accounts, and some may be time-barred.",
        patterns={
            "en": (
                r"\btake\s+you\s+to\s+court\b", r"\bsue\s+you\b", r"\blegal\s+action\b", r"\bcourt\s+action\b",
                r"\blawsuit\b", r"\blegal\s+proceedings\b", r"\blitigation\b",
            ),
            "pcm": (
                r"\bgo\s+(carry|drag|take)\s+(you|una)\s+(go\s+)?court\b", r"\bgo\s+sue\s+(you|una)\b",
                r"\bsee\s+you\s+for\s+court\b",
            ),
            "fr": (
                r"\bpoursuites\s+judiciaires\b", r"\bvous\s+poursuivre\b", r"\btribunal\b", r"\bproces\b",
                r"\bassign(er|ation)\s+en\s+justice\b", r"\baction\s+en\s+justice\b",
            ),
            "es": (
                r"\bdemanda\s+judicial\b", r"\b(lo|la|le)\s+demandaremos\b", r"\bdemandarle\b",
                r"\btribunal(es)?\b", r"\bjuicio\b", r"\bacci(o|on)n?\s+legal\b", r"\bacciones\s+legales\b",
            ),
        },
    ),
    BlockedCategory(
        key="violence",
        label="Violence or harm",
        rule="12 CFR 1006.14(c)",
        suggestion="Remove any threat to the person, their reputation or their property.",
        patterns={
            "en": (
                r"\bhurt\s+you\b", r"\bharm\s+you\b", r"\bbeat\s+you\b", r"\bkill\b", r"\bdeal\s+with\s+you\b",
                r"\byou('ll|\s+will)\s+regret\b", r"\bwatch\s+your\s+back\b", r"\bwe\s+know\s+where\s+you\s+live\b",
                r"\bcome\s+for\s+you\b", r"\bburn\b",
            ),
            "pcm": (
                r"\bgo\s+deal\s+with\s+(you|una)\b", r"\bgo\s+(beat|wound|finish|jam)\s+(you|una)\b",
                r"\bshow\s+(you|una)\s+pepper\b", r"\byou\s+go\s+see\s+wetin\s+go\s+happen\b",
            ),
            "fr": (
                r"\bvous\s+(le\s+)?regretterez\b", r"\bvous\s+faire\s+du\s+mal\b", r"\bviolence\b",
                r"\bon\s+sait\s+ou\s+vous\s+habitez\b", r"\bgare\s+a\s+vous\b",
            ),
            "es": (
                r"\bse\s+arrepentira\b", r"\bhacerle\s+dano\b", r"\bsabemos\s+donde\s+vive\b", r"\bviolencia\b",
            ),
        },
    ),
    BlockedCategory(
        key="abusive",
        label="Obscene, profane or abusive words",
        rule="12 CFR 1006.14(d); 940 CMR 7.04(1)(c)",
        suggestion="Speak to the customer with respect. Remove insults and profanity.",
        patterns={
            "en": (
                r"\bthie(f|ves)\b", r"\bfraudsters?\b", r"\bdeadbeats?\b", r"\bidiots?\b", r"\bstupid\b",
                r"\bliars?\b", r"\bscammers?\b", r"\bshameless\b", r"\bcrooks?\b", r"\bfool(s|ish)?\b",
                r"\bdamn\w*", r"\bshit\w*", r"\bfuck\w*", r"\bbastards?\b", r"\bbitch\w*", r"\buseless\b",
            ),
            "pcm": (
                r"\bole\b", r"\bmumu\b", r"\bode\b", r"\bwerey\b", r"\byeye\b", r"\bolodo\b", r"\bofeke\b",
            ),
            "fr": (
                r"\bvoleu(r|se|rs)\b", r"\bescroc\w*", r"\bfraudeu(r|se)\b", r"\bidiot(e|s)?\b",
                r"\bimbecile\b", r"\bcretin\w*", r"\bmerde\b", r"\bconna(rd|sse)\b", r"\bsalaud\b",
                r"\bmauvais\s+payeur\b",
            ),
            "es": (
                r"\bladr(o|on|ona)n?\b", r"\bestafador(a|es)?\b", r"\bidiota\b", r"\bestupid[oa]\b",
                r"\bmierda\b", r"\bsinverguenza\b", r"\btramposo\b", r"\bcabron\b",
            ),
        },
    ),
    BlockedCategory(
        key="shaming",
        label="Shaming, telling others, or publishing the debt",
        rule="12 CFR 1006.14(e), 1006.6(d), 1006.22(f)(4); CONC 7.9.7R; RCW 19.16.250(3); DEON; CBN",
        suggestion="Keep the debt private between you and the customer. Never mention family, work or contacts.",
        patterns={
            "en": (
                r"\b(tell|inform|contact|call|notify|message|text|email|visit)\s+(all\s+)?(your\s+)?"
                r"(family|employer|boss|colleagues|co-?workers|friends|contacts|neighbou?rs|relatives|church|mosque|wife|husband)\b",
                r"\bpost\s+your\s+(name|photo|picture)\b", r"\bdebtors?\s+list\b", r"\bdefaulters?\s+list\b",
                r"\bwanted\s+(list|poster|person|debtor)\b", r"\byou\s+are\s+(now\s+)?wanted\b",
                r"\bpublic(ly)?\s+(name|shame)\b", r"\bshame\s+(you|on\s+you)\b", r"\bsocial\s+media\b", r"\bexpose\s+you\b",
            ),
            "pcm": (
                r"\bbroadcast\b", r"\ball\s+your\s+contacts\b",
                r"\bgo\s+tell\s+your\s+(oga|family|people|papa|mama|pastor|imam|neighbou?r|wife|husband|friends)\b",
                r"\bgo\s+(post|put)\s+your\s+(name|picture|photo|face)\b", r"\bdisgrace\s+(you|una)\b",
            ),
            "fr": (
                r"\b(prevenir|informer|contacter|appeler|dire\s+a)\s+(votre|vos)\s+"
                r"(famille|employeur|patron|collegues|amis|proches|voisins|contacts)\b",
                r"\bliste\s+(noire\s+)?des\s+(debiteurs|mauvais\s+payeurs)\b", r"\bpublier\s+votre\s+(nom|photo)\b",
                r"\bvous\s+faire\s+honte\b", r"\bhonte\s+a\s+vous\b", r"\breseaux\s+sociaux\b",
            ),
            "es": (
                r"\b(avisar|informar|contactar|llamar|decirle)\s+a\s+su\s+"
                r"(familia|empleador|jefe|companeros|amigos|contactos|vecinos)\b",
                r"\blista\s+de\s+(deudores|morosos)\b", r"\bpublicar\s+su\s+(nombre|foto)\b", r"\b(darle|deberia\s+darle|que)\s+verguenza\b",
                r"\bredes\s+sociales\b",
            ),
        },
    ),
    BlockedCategory(
        key="impersonation",
        label="Posing as a court, government, police or lawyer",
        rule="12 CFR 1006.18(b)(1)(i), (iii), (vii), (c)(3); CONC 7.11.1R-7.11.3R; RCW 19.16.250(4)",
        suggestion="Say who you really are: the creditor's brand and, where required, that this is a debt collector.",
        patterns={
            "en": (
                r"\bcourt\s+officer\b", r"\bbailiffs?\b", r"\blegal\s+department\b",
                r"\bour\s+(lawyers|attorneys|solicitors)\b", r"\bfinal\s+court\s+notice\b", r"\bgovernment\s+agency\b",
                r"\bcase\s+(no|number)\b", r"\bsheriff\b", r"\bofficial\s+notice\b", r"\bcourt\s+order\b",
            ),
            "pcm": (
                r"\bwe\s+be\s+(police|court|government|efcc|lawyer)\b", r"\bcourt\s+people\b",
                r"\bgovernment\s+people\b",
            ),
            "fr": (
                r"\bhuissier\w*", r"\bofficier\s+de\s+justice\b", r"\bservice\s+juridique\b", r"\bnos\s+avocats\b",
                r"\bagence\s+gouvernementale\b", r"\bdernier\s+avis\s+(du\s+)?tribunal\b",
            ),
            "es": (
                r"\boficial\s+de\s+(la\s+)?corte\b", r"\balguacil\b", r"\bdepartamento\s+legal\b",
                r"\bnuestros\s+abogados\b", r"\bagencia\s+(del\s+)?gobierno\b", r"\bagencia\s+gubernamental\b",
                r"\bultimo\s+aviso\s+(del\s+)?(tribunal|juzgado)\b",
            ),
        },
    ),
    BlockedCategory(
        key="misstatement",
        label="Misstating the amount or the customer's rights",
        rule="12 CFR 1006.18(b)(2)(i), 1006.22(b)",
        suggestion="State the amount with {{ amount_due }} and never suggest the customer cannot dispute.",
        patterns={
            "en": (
                r"\b(amount|balance|debt|it)\s+(will\s+)?(doubles?|triples?)\b", r"\bdoubles?\s+tomorrow\b",
                r"\bno\s+right\s+to\s+(dispute|complain)\b", r"\b(cannot|can't|can\s+not)\s+dispute\b",
                r"\bpenalty\s+fees?\b", r"\binterest\s+will\s+(double|triple|keep\s+growing)\b",
            ),
            "pcm": (
                r"\b(money|amount|debt|am)\s+go\s+(double|triple)\b",
                r"\byou\s+no\s+(get|fit)\s+(right\s+to\s+)?(dispute|complain|argue)\b",
            ),
            "fr": (
                r"\b(montant|dette|solde)\s+(va\s+)?doubl\w*", r"\baucun\s+droit\s+de\s+contester\b",
                r"\bne\s+pouvez\s+pas\s+contester\b", r"\bpenalites?\s+de\s+retard\b",
            ),
            "es": (
                r"\b(monto|deuda|saldo)\s+(se\s+)?(duplica|doblara|duplicara)\w*",
                r"\bno\s+tiene\s+derecho\s+a\s+(disputar|reclamar)\b", r"\bno\s+puede\s+disputar\b",
            ),
        },
    ),
    BlockedCategory(
        key="overshadowing",
        label="Overshadowing the right to dispute",
        rule="12 CFR 1006.38(b)",
        suggestion="Never tell the customer to ignore a notice or pay before they can question the debt.",
        patterns={
            "en": (
                r"\bignore\s+(the|this|any|our)\s+(notice|letter|dispute|validation)\b", r"\bor\s+else\b",
                r"\bpay\s+(first|before)\s+(you\s+)?(dispute|question)\b", r"\bdisputing\s+(will\s+)?not\s+(help|stop)\b",
            ),
            "pcm": (
                r"\bno\s+mind\s+(the|that|any|dat)\s+(letter|notice)\b", r"\bpay\s+now\s+or\s+you\s+go\s+see\b",
            ),
            "fr": (
                r"\bignorez\s+(l'\s?|le\s+|la\s+|cet?t?e?\s+)?(avis|lettre|courrier)\b", r"\bou\s+sinon\b",
                r"\bpayez\s+avant\s+de\s+contester\b",
            ),
            "es": (
                r"\bignore\s+(el|la|este|esta)\s+(aviso|carta|notificacion)\b", r"\bo\s+si\s+no\b",
                r"\bpague\s+antes\s+de\s+(disputar|reclamar)\b",
            ),
        },
    ),
    BlockedCategory(
        key="false_urgency",
        label="False urgency or pressure to pay by borrowing or selling",
        rule="CONC 7.3.10R; cmt 14(b)(2)(ii)-2.iv.C",
        suggestion="Give the customer time and options. Never suggest borrowing or selling things to pay.",
        patterns={
            "en": (
                r"\b(offer|deal|discount)\s+(expires|ends)\s+(today|tonight|now)\b", r"\bone[-\s]time\s+offer\b",
                r"\blast\s+chance\b", r"\bfinal\s+warning\b", r"\bborrow\s+(money\s+|it\s+)?from\b",
                r"\bsell\s+your\s+(property|house|car|belongings|things|land|phone)\b", r"\bact\s+now\b",
                r"\bimmediately\s+or\b", r"\bwithin\s+\d+\s+hours\s+or\b",
            ),
            "pcm": (
                r"\bgo\s+borrow\b", r"\bpay\s+(am\s+)?sharp\s+sharp\b", r"\bsell\s+(your\s+)?(moto|okada|phone|land)\b",
                r"\btoday\s+na\s+your\s+last\b",
            ),
            "fr": (
                r"\boffre\s+(unique\s+)?(expire|se\s+termine)\s+aujourd'\s?hui\b", r"\bderniere\s+chance\b",
                r"\bdernier\s+avertissement\b", r"\bempruntez\b", r"\bemprunter\s+(a|aupres)\b",
                r"\bvendez\s+(votre|vos)\b",
            ),
            "es": (
                r"\boferta\s+(unica\s+)?(vence|termina|expira)\s+hoy\b", r"\bultima\s+oportunidad\b",
                r"\bpida\s+prestado\b", r"\bpedir\s+prestado\b", r"\bvenda\s+sus?\b", r"\bultima\s+advertencia\b",
            ),
        },
    ),
    BlockedCategory(
        key="credit_reporting",
        label="False credit-reporting threats",
        rule="12 CFR 1006.18(c)(2); WA DFI summary",
        suggestion="Do not threaten the customer's credit. Report only what is true, and flag disputed debts.",
        patterns={
            "en": (
                r"\bcredit\s+(score\s+|rating\s+|record\s+|history\s+)?(will\s+be\s+)?(destroyed|ruined)\b",
                r"\b(destroy|ruin)\s+your\s+credit\b", r"\bblacklist\w*", r"\bnever\s+(get|borrow)\s+credit\s+again\b",
            ),
            "pcm": (
                r"\bnobody\s+go\s+(ever\s+)?(borrow|give)\s+(you|una)\b", r"\bcredit\s+go\s+spoil\b",
                r"\bspoil\s+your\s+(name|credit)\b",
            ),
            "fr": (
                r"\b(credit|dossier|reputation)\s+(sera\s+)?(detruit|ruine)e?\b", r"\bliste\s+noire\b",
            ),
            "es": (
                r"\b(credito|historial)\s+(quedara\s+|sera\s+)?(destruido|arruinado)\b", r"\blista\s+negra\b",
            ),
        },
    ),
    BlockedCategory(
        key="deceptive_prompt",
        label="Deceptive prompt or disguised identity",
        rule="CONC 7.9.2R; 12 CFR 1006.14(g), 1006.18(c)(4), (d)",
        suggestion="Say plainly why you are writing. No fake deliveries, prizes or disguised names.",
        patterns={
            "en": (
                r"\bmissed\s+(a\s+)?delivery\b", r"\b(parcel|package)\s+(is\s+)?waiting\b", r"\byou('ve|\s+have)\s+won\b",
                r"\bprize\b", r"\bclaim\s+your\s+(reward|gift|prize)\b",
            ),
            "pcm": (
                r"\byour\s+(parcel|package|delivery)\s+(dey|don)\b", r"\byou\s+(don|done)\s+win\b",
            ),
            "fr": (
                r"\bcolis\b", r"\blivraison\s+manquee\b", r"\bvous\s+avez\s+gagne\b",
            ),
            "es": (
                r"\bpaquete\b", r"\bentrega\s+(perdida|fallida)\b", r"\bha\s+ganado\b",
            ),
        },
    ),
)

# Jargon: warn and offer the plain word. (Plain-language guidance: FCA Consumer Duty "consumer
# understanding" outcome, PRIN 2A; DEON's literacy-fit requirement.)
JARGON: dict[str, tuple[tuple[str, str, str], ...]] = {
    "en": (
        (r"\bdelinquen(t|cy)\b", "delinquent", "late, or behind on payments"),
        (r"\bpursuant\s+to\b", "pursuant to", "under"),
        (r"\bremit(tance|ted)?\b", "remit", "pay"),
        (r"\bobligors?\b", "obligor", "you"),
        (r"\barrears\b", "arrears", "missed payments"),
        (r"\bin\s+default\b", "in default", "behind on payments"),
        (r"\bdebtors?\b", "debtor", "you"),
        (r"\boutstanding\s+balance\b", "outstanding balance", "amount left to pay"),
        (r"\bhereby\b", "hereby", "(leave it out)"),
        (r"\baforementioned\b", "aforementioned", "this"),
        (r"\bforthwith\b", "forthwith", "now, or by a date"),
        (r"\bindebtedness\b", "indebtedness", "what you owe"),
        (r"\bnotwithstanding\b", "notwithstanding", "even though"),
        (r"\bherein\b", "herein", "here"),
    ),
    "pcm": (),
    "fr": (
        (r"\bdebiteur\b", "débiteur", "vous"),
        (r"\bconformement\s+a\b", "conformément à", "selon"),
        (r"\bcreance\b", "créance", "somme due"),
        (r"\bmise\s+en\s+demeure\b", "mise en demeure", "rappel"),
        (r"\ben\s+souffrance\b", "en souffrance", "en retard"),
        (r"\bnonobstant\b", "nonobstant", "malgré"),
    ),
    "es": (
        (r"\bdeudor\b", "deudor", "usted"),
        (r"\bmoros[oa]\b", "moroso", "con pagos atrasados"),
        (r"\bconforme\s+a\b", "conforme a", "según"),
        (r"\badeudo\b", "adeudo", "lo que debe"),
        (r"\bremitir\b", "remitir", "pagar"),
        (r"\bmora\b", "mora", "retraso"),
    ),
}

# Phrases that show a required disclosure is written out in the text (templates may instead use the
# documented variables {{ opt_out }} and {{ collector_disclosure }}, which render the exact wording).
OPT_OUT_PHRASES: dict[str, tuple[str, ...]] = {
    "en": (r"\breply\s+stop\b", r"\bunsubscribe\b", r"\bopt\s+out\b", r"\btext\s+stop\b"),
    "pcm": (r"\breply\s+stop\b", r"\bsend\s+stop\b", r"\btext\s+stop\b"),
    "fr": (r"\brepondez\s+stop\b", r"\bdesabonner\b", r"\bdesinscri\w*", r"\benvoyez\s+stop\b"),
    "es": (r"\bresponda\s+stop\b", r"\bdarse\s+de\s+baja\b", r"\bcancelar\s+la\s+suscripcion\b", r"\benvie\s+stop\b"),
}
COLLECTOR_PHRASES: dict[str, tuple[str, ...]] = {
    "en": (r"\bdebt\s+collector\b", r"\battempt(ing)?\s+to\s+collect\s+a\s+debt\b"),
    "pcm": (r"\bdebt\s+collector\b", r"\bwe\s+dey\s+collect\s+debt\b"),
    "fr": (r"\bagence\s+de\s+recouvrement\b", r"\brecouvrement\s+de\s+creances?\b"),
    "es": (r"\bcobrador\s+de\s+deudas\b", r"\bcobro\s+de\s+deudas?\b", r"\bcobrar\s+una\s+deuda\b"),
}

# Signs that the message offers help or a choice (a pay link, a plan, a way to talk to someone).
HELP_VARIABLES = ("pay_link", "plan_", "support_phone", "support_email", "faq_link", "agent_name", "callback")
HELP_PHRASES: dict[str, tuple[str, ...]] = {
    "en": (r"\breply\b", r"\bcall\s+us\b", r"\bhelp\b", r"\bplan\b", r"\btalk\s+to\b", r"\bcontact\s+us\b"),
    "pcm": (r"\breply\b", r"\bcall\s+us\b", r"\bhelp\b", r"\bplan\b", r"\btalk\s+to\b", r"\byarn\s+with\b"),
    "fr": (r"\brepondez\b", r"\bappelez\b", r"\baide\b", r"\bplan\b", r"\bparler\b", r"\bcontactez\b"),
    "es": (r"\bresponda\b", r"\bllamenos\b", r"\bayuda\w*", r"\bplan\b", r"\bhablar\b", r"\bcontactenos\b"),
}
