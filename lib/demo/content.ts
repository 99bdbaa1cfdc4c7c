// What the demo's customers ask and what the agent answers, per language. Japanese and Chinese
// texts are what make local token counts disagree with billed ones.
import type { Locale } from './world'
import type { Rng } from './prng'

export type Topic =
  | 'order_status'
  | 'shipment_delay'
  | 'refund'
  | 'password_reset'
  | 'billing_dispute'
  | 'api_error'
  | 'cancel_subscription'
  | 'escalation'

export const TOPICS: readonly Topic[] = [
  'order_status',
  'shipment_delay',
  'refund',
  'password_reset',
  'billing_dispute',
  'api_error',
  'cancel_subscription',
  'escalation',
]

export const TOPIC_WEIGHTS: Readonly<Record<Topic, number>> = {
  order_status: 24,
  shipment_delay: 16,
  refund: 14,
  password_reset: 12,
  billing_dispute: 10,
  api_error: 9,
  cancel_subscription: 8,
  escalation: 7,
}

/** The tools the agent calls for a topic, in order. */
export const TOPIC_TOOLS: Readonly<Record<Topic, readonly string[]>> = {
  order_status: ['lookup_order'],
  shipment_delay: ['track_shipment'],
  refund: ['lookup_order', 'issue_refund'],
  password_reset: ['reset_password'],
  billing_dispute: ['get_invoice', 'create_ticket'],
  api_error: ['create_ticket'],
  cancel_subscription: ['get_subscription', 'cancel_subscription'],
  escalation: ['escalate_to_human'],
}

type Texts = Readonly<Record<Topic, readonly string[]>>

const QUESTIONS: Readonly<Record<Locale, Texts>> = {
  en: {
    order_status: ['Where is my order {order}? It said it would arrive yesterday.', 'Can you check the status of order {order}?', 'Has order {order} shipped yet?'],
    shipment_delay: ['My shipment {tracking} has been stuck in transit for 4 days. What is going on?', 'Tracking {tracking} shows no update since Monday, is it lost?'],
    refund: ['I returned order {order} two weeks ago and still have no refund.', 'Please refund order {order}, the item arrived broken.'],
    password_reset: ['I cannot log in, the reset email never arrives.', 'How do I reset my password? My account is {email}.'],
    billing_dispute: ['I was charged twice on invoice {invoice}.', 'Why is my bill higher this month? Invoice {invoice} shows an extra seat.'],
    api_error: ['Your API returns 502 on /v2/exports since this morning.', 'Webhook deliveries fail with a TLS error, request id {request}.'],
    cancel_subscription: ['Please cancel my subscription at the end of the billing period.', 'How do I downgrade to the free plan?'],
    escalation: ['I want to talk to a human, this is the third time I ask.', 'This is urgent, please escalate: our whole team is locked out.'],
  },
  ja: {
    order_status: ['注文番号{order}の配送状況を教えてください。昨日届く予定でした。', '注文{order}はもう発送されましたか？'],
    shipment_delay: ['追跡番号{tracking}の荷物が4日間移動していません。どうなっていますか？', '予約確認書がまだ届いていません。{tracking}を確認してください。'],
    refund: ['二週間前に注文{order}を返品しましたが、まだ返金されていません。', 'ツアーがキャンセルされたので、予約{order}の返金をお願いします。'],
    password_reset: ['ログインできません。パスワード再設定のメールが届きません。', 'アカウント{email}のパスワードを変更したいです。'],
    billing_dispute: ['請求書{invoice}で二重に請求されています。', '今月の請求額が高い理由を教えてください。'],
    api_error: ['予約APIが今朝から502エラーを返しています。', 'Webhookの配信がTLSエラーで失敗します。リクエストID {request}。'],
    cancel_subscription: ['次の請求期間の終わりにサブスクリプションを解約してください。', '無料プランに変更する方法を教えてください。'],
    escalation: ['担当者と直接話したいです。三回目の問い合わせです。', '緊急です。チーム全員がログインできません。'],
  },
  zh: {
    order_status: ['我的订单{order}到哪里了？本来昨天应该到的。', '请帮我查一下订单{order}的状态。'],
    shipment_delay: ['快递{tracking}已经四天没有更新了，是不是丢了？', '物流单号{tracking}一直显示运输中。'],
    refund: ['两周前退回了订单{order}，还没有收到退款。', '游戏内购{order}重复扣款，请退款。'],
    password_reset: ['我登录不了，收不到重置密码的邮件。', '怎么修改账号{email}的密码？'],
    billing_dispute: ['发票{invoice}重复扣费了。', '为什么这个月的账单多了一个席位？'],
    api_error: ['你们的接口从今天早上开始一直返回502。', '回调通知因为TLS错误失败，请求编号{request}。'],
    cancel_subscription: ['请在本计费周期结束时取消我的订阅。', '怎么降级到免费版？'],
    escalation: ['我要找人工客服，这是第三次问了。', '非常紧急，我们整个团队都无法登录。'],
  },
  de: {
    order_status: ['Wo ist meine Bestellung {order}? Sie sollte gestern ankommen.', 'Können Sie den Status von Bestellung {order} prüfen?'],
    shipment_delay: ['Meine Sendung {tracking} hängt seit vier Tagen fest.', 'Sendungsnummer {tracking} zeigt seit Montag nichts Neues.'],
    refund: ['Ich habe Bestellung {order} vor zwei Wochen zurückgeschickt und noch keine Erstattung erhalten.', 'Bitte erstatten Sie die Fahrt {order}, der Roller war defekt.'],
    password_reset: ['Ich kann mich nicht anmelden, die E-Mail zum Zurücksetzen kommt nicht an.', 'Wie setze ich mein Passwort für {email} zurück?'],
    billing_dispute: ['Rechnung {invoice} wurde doppelt abgebucht.', 'Warum ist meine Rechnung diesen Monat höher?'],
    api_error: ['Ihre API liefert seit heute Morgen 502 auf /v2/exports.', 'Webhooks schlagen mit einem TLS-Fehler fehl, Request-ID {request}.'],
    cancel_subscription: ['Bitte kündigen Sie mein Abo zum Ende des Abrechnungszeitraums.', 'Wie wechsle ich in den kostenlosen Tarif?'],
    escalation: ['Ich möchte mit einem Menschen sprechen.', 'Dringend: unser ganzes Team ist ausgesperrt.'],
  },
  fr: {
    order_status: ['Où en est ma demande {order} ? Elle devait être traitée hier.', 'Pouvez-vous vérifier le statut du virement {order} ?'],
    shipment_delay: ['Ma nouvelle carte {tracking} n’est toujours pas arrivée après dix jours.', 'Le suivi {tracking} ne bouge plus depuis lundi.'],
    refund: ['J’ai contesté le paiement {order} il y a deux semaines, toujours aucun remboursement.', 'Merci de rembourser les frais {order} prélevés par erreur.'],
    password_reset: ['Je n’arrive pas à me connecter, le code de réinitialisation ne vient pas.', 'Comment changer le mot de passe du compte {email} ?'],
    billing_dispute: ['J’ai été prélevé deux fois sur la facture {invoice}.', 'Pourquoi mes frais de tenue de compte ont-ils augmenté ?'],
    api_error: ['Votre API renvoie 502 sur /v2/exports depuis ce matin.', 'Les webhooks échouent avec une erreur TLS, requête {request}.'],
    cancel_subscription: ['Merci de résilier mon abonnement à la fin de la période.', 'Comment passer à l’offre gratuite ?'],
    escalation: ['Je veux parler à un conseiller, c’est la troisième fois.', 'Urgent : toute notre équipe est bloquée.'],
  },
  pt: {
    order_status: ['Onde está o meu pedido {order}? Deveria ter chegado ontem.', 'Pode verificar o status da apólice {order}?'],
    shipment_delay: ['Minha vistoria {tracking} está parada há quatro dias.', 'O rastreio {tracking} não atualiza desde segunda.'],
    refund: ['Cancelei a apólice {order} há duas semanas e não recebi o reembolso.', 'Por favor, reembolsem a cobrança {order} feita por engano.'],
    password_reset: ['Não consigo entrar, o e-mail de redefinição não chega.', 'Como redefino a senha da conta {email}?'],
    billing_dispute: ['Fui cobrado duas vezes na fatura {invoice}.', 'Por que minha fatura aumentou este mês?'],
    api_error: ['A API retorna 502 em /v2/exports desde hoje cedo.', 'Os webhooks falham com erro de TLS, requisição {request}.'],
    cancel_subscription: ['Quero cancelar minha assinatura no fim do período.', 'Como mudo para o plano gratuito?'],
    escalation: ['Quero falar com um atendente humano.', 'Urgente: toda a nossa equipe está bloqueada.'],
  },
}

const REPLIES: Readonly<Record<Locale, string>> = {
  en: 'Thanks for reaching out. I checked {ref}: {status}. I have noted this on your ticket and you will get an email update within 24 hours.',
  ja: 'お問い合わせありがとうございます。{ref}を確認しました：{status}。チケットに記録し、24時間以内にメールでご連絡いたします。',
  zh: '感谢您的联系。我已查询{ref}：{status}。已记录在您的工单中，24小时内会通过邮件通知您。',
  de: 'Danke für Ihre Nachricht. Ich habe {ref} geprüft: {status}. Ich habe es im Ticket vermerkt; Sie erhalten innerhalb von 24 Stunden eine E-Mail.',
  fr: 'Merci pour votre message. J’ai vérifié {ref} : {status}. C’est noté dans votre dossier ; vous recevrez un e-mail sous 24 heures.',
  pt: 'Obrigado pelo contato. Verifiquei {ref}: {status}. Registrei no seu chamado e você receberá um e-mail em até 24 horas.',
}

const REFUSALS: Readonly<Record<Locale, string>> = {
  en: "I'm sorry, but I can't help with that request. I can connect you with a member of our team instead.",
  ja: '申し訳ありませんが、そのご依頼にはお応えできません。担当者におつなぎします。',
  zh: '抱歉，我无法处理这个请求。我可以为您转接人工客服。',
  de: 'Das kann ich leider nicht beantworten. Ich verbinde Sie gern mit unserem Team.',
  fr: 'Je suis désolé, je ne peux pas répondre à cette demande. Je peux vous mettre en relation avec un conseiller.',
  pt: 'Desculpe, não posso ajudar com esse pedido. Posso encaminhar você para um atendente.',
}

const STATUSES = ['in transit, expected Thursday', 'delivered to the front desk', 'refund approved, 3-5 business days', 'ticket created, priority high', 'reset link sent', 'duplicate charge reversed']

export interface Question {
  text: string
  ref: string
}

function fill(template: string, rng: Rng): Question {
  const order = `ORD-${rng.int(100000, 999999)}`
  const ref = template.includes('{tracking}')
    ? `1Z${rng.hex(10).toUpperCase()}`
    : template.includes('{invoice}')
      ? `INV-${rng.int(20000, 89999)}`
      : template.includes('{order}')
        ? order
        : 'your account'
  const text = template
    .replace('{order}', order)
    .replace('{tracking}', ref)
    .replace('{invoice}', ref)
    .replace('{email}', `${rng.pick(['ana', 'li.wei', 'sato', 'jmiller', 'k.schmidt', 'marie'])}@example.com`)
    .replace('{request}', `req_${rng.hex(12)}`)
  return { text, ref }
}

export function question(locale: Locale, topic: Topic, rng: Rng): Question {
  return fill(rng.pick(QUESTIONS[locale][topic]), rng)
}

export function reply(locale: Locale, ref: string, rng: Rng): string {
  return REPLIES[locale].replace('{ref}', ref).replace('{status}', rng.pick(STATUSES))
}

export function refusalText(locale: Locale): string {
  return REFUSALS[locale]
}

/** Whether a locale is written in CJK scripts (tokenizers disagree most there). */
export function isCjk(locale: Locale): boolean {
  return locale === 'ja' || locale === 'zh'
}
