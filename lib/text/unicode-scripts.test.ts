import { describe, expect, it } from 'vitest'
import { dominantScript, dominantScriptColumnsSql, scriptCounts } from './unicode-scripts'

describe('dominantScript', () => {
  it.each([
    ['Where is my order? It was due on Friday.', 'latin'],
    ['Où est ma commande ? Elle devait arriver vendredi.', 'latin'],
    ['注文した商品がまだ届きません。配送状況を確認してください。', 'cjk'],
    ['주문한 상품이 아직 도착하지 않았습니다', 'cjk'],
    ['我的订单在哪里', 'cjk'],
    ['Где мой заказ? Он должен был прийти в пятницу.', 'cyrillic'],
    ['أين طلبي؟ كان من المفترض أن يصل يوم الجمعة', 'arabic'],
    ['मेरा ऑर्डर कहाँ है', 'devanagari'],
    ['Πού είναι η παραγγελία μου;', 'other'],
    ['12345 !!! ---', 'other'],
    ['', 'other'],
  ])('%s -> %s', (text, script) => {
    expect(dominantScript(text)).toBe(script)
  })

  it('does not count the JSON envelope of chat messages as Latin text', () => {
    const payload = JSON.stringify([{ role: 'user', content: '注文はどこですか' }])
    expect(scriptCounts(payload).latin).toBe(0)
    expect(dominantScript(payload)).toBe('cjk')
  })

  it('a Japanese message with a few English product names is still CJK', () => {
    expect(dominantScript('「Acme Router X200」の返品方法を教えてください。保証期間内です。')).toBe('cjk')
  })

  it('builds one SQL expression naming every script', () => {
    const sql = dominantScriptColumnsSql('input')
    for (const script of ['latin', 'cjk', 'cyrillic', 'arabic', 'devanagari', 'other']) expect(sql).toContain(`'${script}'`)
    expect(sql).toContain('\\\\x{4E00}-\\\\x{9FFF}')
  })
})
