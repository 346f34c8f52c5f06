"""French default library (vouvoiement; simple, chaleureux, toujours une solution)."""

SIGN_OFF = "Merci,\n{{ creditor_name }}"

LIBRARY = {
    "friendly_reminder": {
        "sms": "Bonjour {{ first_name }}, ici {{ creditor_name }}. Petit rappel : {{ amount_due }} était dû le {{ due_date }}. Vous pouvez payer ici : {{ pay_link }} Si c'est difficile en ce moment, répondez PLAN et nous vous aiderons.",
        "subject": "Un petit rappel de {{ creditor_name }}",
        "email": "Bonjour {{ first_name }},\n\nPetit rappel : {{ amount_due }} était dû le {{ due_date }}.\n\nVous pouvez payer en une minute ici : {{ pay_link }}\n\nSi votre budget est serré en ce moment, vous n'êtes pas seul. Nous pouvons mettre en place un plan adapté à votre budget. Répondez simplement à cet e-mail ou appelez-nous au {{ support_phone }}.",
    },
    "pre_due_nudge": {
        "sms": "Bonjour {{ first_name }}, ici {{ creditor_name }}. Pour info : {{ amount_due }} sera dû le {{ due_date }}. Payez quand cela vous convient : {{ pay_link }} Besoin de plus de temps ? Répondez APPEL.",
        "subject": "Votre paiement est prévu le {{ due_date }}",
        "email": "Bonjour {{ first_name }},\n\nPour info : {{ amount_due }} sera dû le {{ due_date }}.\n\nVous pouvez payer quand vous voulez d'ici là : {{ pay_link }}\n\nSi cette date ne vous convient pas, dites-le-nous. Répondez à cet e-mail ou appelez le {{ support_phone }}, et nous trouverons une date qui vous va.",
    },
    "first_miss_checkin": {
        "sms": "Bonjour {{ first_name }}, ici {{ creditor_name }}. Vous êtes avec nous depuis longtemps et le paiement de ce mois n'est pas arrivé. Tout va bien ? Si quelque chose a changé, nous pouvons aider. Répondez APPEL ou voyez vos options : {{ pay_link }}",
        "subject": "Tout va bien, {{ first_name }} ?",
        "email": "Bonjour {{ first_name }},\n\nVous êtes avec nous depuis longtemps. Votre paiement de {{ amount_due }}, prévu le {{ due_date }}, n'est pas arrivé. Cela ne vous ressemble pas, alors nous voulions prendre de vos nouvelles.\n\nSi quelque chose a changé, nous sommes là pour vous aider. Nous pouvons décaler la date ou répartir le montant en plusieurs parts.\n\nVoyez vos options ici : {{ pay_link }}\nOu appelez {{ agent_name|default:\"notre équipe\" }} au {{ support_phone }}. Nous serons ravis d'en parler.",
    },
    "plan_offer": {
        "sms": "Bonjour {{ first_name }}, ici {{ creditor_name }}. Payer {{ amount_due }} en une fois peut être difficile. Vous pouvez payer en plusieurs fois, selon votre budget. Choisissez un plan ici : {{ pay_link }}",
        "subject": "Payez en plusieurs fois, à votre rythme",
        "email": "Bonjour {{ first_name }},\n\nPayer {{ amount_due }} en une fois peut être difficile. Vous pouvez payer en plusieurs fois, selon votre budget.\n\nC'est vous qui choisissez le montant et le rythme. Voyez les options ici : {{ pay_link }}\n\nSi vous préférez en parler, appelez-nous au {{ support_phone }}. Questions fréquentes : {{ faq_link }}",
    },
    "plan_confirmation": {
        "sms": "Bonjour {{ first_name }}, votre plan est en place : {{ plan_summary }}. Prochain paiement : {{ plan_instalment_amount }} le {{ plan_next_date }}. Voir ou modifier : {{ pay_link }}",
        "subject": "Votre plan est en place",
        "email": "Bonjour {{ first_name }},\n\nMerci. Votre plan est en place : {{ plan_summary }}.\n\nVotre prochain paiement est de {{ plan_instalment_amount }} le {{ plan_next_date }}.\n\nVous pouvez voir votre plan, ou demander à le modifier, ici : {{ pay_link }}\nSi votre situation change, appelez-nous au {{ support_phone }}. Nous adapterons le plan avec vous.",
    },
    "instalment_due": {
        "sms": "Bonjour {{ first_name }}, rappel de {{ creditor_name }} : votre paiement de {{ plan_instalment_amount }} est prévu le {{ plan_next_date }}. Payer ici : {{ pay_link }} Besoin de décaler ? Répondez APPEL.",
        "subject": "Votre paiement est prévu le {{ plan_next_date }}",
        "email": "Bonjour {{ first_name }},\n\nPetit rappel : votre paiement de {{ plan_instalment_amount }} est prévu le {{ plan_next_date }}. Il vous reste {{ plan_instalments_left }} paiements.\n\nPayer ici : {{ pay_link }}\n\nSi vous devez décaler cette date, répondez à cet e-mail ou appelez le {{ support_phone }}.",
    },
    "card_expiring": {
        "sms": "Bonjour {{ first_name }}, la carte se terminant par {{ card_last4 }} qui paie votre plan expire en {{ card_expiry }}. Mettez-la à jour pour que vos paiements continuent : {{ pay_link }} Questions ? {{ support_phone }}",
        "subject": "Votre carte va bientôt expirer",
        "email": "Bonjour {{ first_name }},\n\nLa carte se terminant par {{ card_last4 }} qui paie votre plan expire en {{ card_expiry }}.\n\nPour que votre plan continue sans souci, ajoutez votre nouvelle carte ici : {{ pay_link }}\n\nPour toute question, appelez-nous au {{ support_phone }}.",
    },
    "payment_receipt": {
        "sms": "Merci {{ first_name }} ! Nous avons reçu votre paiement de {{ payment_amount }} le {{ payment_date }}. Reste à payer : {{ balance_left }}. Votre reçu : {{ pay_link }}",
        "subject": "Merci, nous avons reçu votre paiement",
        "email": "Bonjour {{ first_name }},\n\nMerci ! Nous avons reçu votre paiement de {{ payment_amount }} le {{ payment_date }}.\n\nReste à payer : {{ balance_left }}.\n\nVotre reçu est ici : {{ pay_link }}\nSi quelque chose vous semble faux, appelez-nous au {{ support_phone }}.",
    },
    "dispute_acknowledgement": {
        "sms": "Bonjour {{ first_name }}, nous avons bien reçu votre message : quelque chose ne va pas sur ce compte. Merci de nous l'avoir dit. Nous vérifions et vous répondrons. Questions ? {{ support_phone }}",
        "subject": "Nous avons reçu votre message et nous vérifions",
        "email": "Bonjour {{ first_name }},\n\nMerci de nous avoir signalé que quelque chose ne va pas sur ce compte.\n\nNous allons vérifier et vous répondre avec ce que nous trouvons. D'ici là, nous ne vous demanderons pas de payer la partie que vous contestez.\n\nPour ajouter quelque chose, répondez à cet e-mail ou appelez le {{ support_phone }}.",
    },
    "callback_confirmation": {
        "sms": "Bonjour {{ first_name }}, merci de votre demande. {{ agent_name|default:\"Un membre de notre équipe\" }} vous appellera le {{ callback_time }}. Si l'heure ne vous va plus, répondez pour la changer.",
        "subject": "Nous vous appellerons le {{ callback_time }}",
        "email": "Bonjour {{ first_name }},\n\nMerci de nous avoir demandé de vous appeler. {{ agent_name|default:\"Un membre de notre équipe\" }} vous appellera le {{ callback_time }}.\n\nSi l'heure ne vous convient plus, répondez à cet e-mail pour la changer, ou appelez-nous au {{ support_phone }}.",
    },
    "verification_code": {
        "sms": "Bonjour {{ first_name }}, votre code {{ creditor_name }} est {{ verification_code }}. Il est valable 10 minutes. Si vous ne l'avez pas demandé, ignorez ce message ou appelez le {{ support_phone }}.",
        "subject": "Votre code pour {{ creditor_name }}",
        "email": "Bonjour {{ first_name }},\n\nVotre code est {{ verification_code }}. Il est valable 10 minutes.\n\nSi vous ne l'avez pas demandé, ignorez cet e-mail. Une question ? Appelez-nous au {{ support_phone }}.",
    },
    "seasonal_care": {
        "sms": "Bonjour {{ first_name }}, en cette semaine de la Saint-Valentin, merci d'être avec {{ creditor_name }}. Une petite astuce : {{ budgeting_tip }} Si un plan peut vous aider : {{ pay_link }}",
        "subject": "Un petit merci, et une astuce budget",
        "email": "Bonjour {{ first_name }},\n\nEn cette semaine de la Saint-Valentin, nous voulions vous dire merci d'être avec nous. Prenez soin de vous.\n\nUne petite astuce budget : {{ budgeting_tip }}\n\nSi un plan adapté à votre budget peut vous aider, c'est ici : {{ pay_link }}\nOu appelez-nous au {{ support_phone }}. Nous sommes là pour vous.",
    },
    "opt_out_confirmation": {
        "sms": "Vous ne recevrez plus de SMS de {{ creditor_name }} à ce numéro.",
        "whatsapp": "Vous ne recevrez plus de messages WhatsApp de {{ creditor_name }} à ce numéro.",
        "subject": "Vous ne recevrez plus nos e-mails",
        "email": "Vous ne recevrez plus d'e-mails de {{ creditor_name }} à cette adresse.",
    },
}
