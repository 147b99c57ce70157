/**
 * Shenzhen's districts and their streets (街道), as a codelist. District codes
 * carry the GB/T 2260 county-level code where one exists (Dapeng is a functional
 * new district without its own). Codes are ours: SZ-<DISTRICT>[-<STREET>] in pinyin.
 */
export interface DistrictData {
  code: string;
  name: string;
  nameEn: string;
  gbCode: string | null;
  streets: ReadonlyArray<readonly [code: string, name: string, nameEn: string]>;
}

export const SHENZHEN_DISTRICTS: readonly DistrictData[] = [
  {
    code: 'SZ-FUTIAN', name: '福田区', nameEn: 'Futian', gbCode: '440304',
    streets: [
      ['YUANLING', '园岭街道', 'Yuanling'], ['NANYUAN', '南园街道', 'Nanyuan'], ['FUTIAN', '福田街道', 'Futian'],
      ['SHATOU', '沙头街道', 'Shatou'], ['XIANGMIHU', '香蜜湖街道', 'Xiangmihu'], ['MEILIN', '梅林街道', 'Meilin'],
      ['LIANHUA', '莲花街道', 'Lianhua'], ['HUAFU', '华富街道', 'Huafu'], ['FUBAO', '福保街道', 'Fubao'],
      ['HUAQIANGBEI', '华强北街道', 'Huaqiangbei'],
    ],
  },
  {
    code: 'SZ-LUOHU', name: '罗湖区', nameEn: 'Luohu', gbCode: '440303',
    streets: [
      ['GUIYUAN', '桂园街道', 'Guiyuan'], ['HUANGBEI', '黄贝街道', 'Huangbei'], ['DONGMEN', '东门街道', 'Dongmen'],
      ['CUIZHU', '翠竹街道', 'Cuizhu'], ['NANHU', '南湖街道', 'Nanhu'], ['SUNGANG', '笋岗街道', 'Sungang'],
      ['DONGHU', '东湖街道', 'Donghu'], ['LIANTANG', '莲塘街道', 'Liantang'], ['DONGXIAO', '东晓街道', 'Dongxiao'],
      ['QINGSHUIHE', '清水河街道', 'Qingshuihe'],
    ],
  },
  {
    code: 'SZ-NANSHAN', name: '南山区', nameEn: 'Nanshan', gbCode: '440305',
    streets: [
      ['NANTOU', '南头街道', 'Nantou'], ['NANSHAN', '南山街道', 'Nanshan'], ['SHAHE', '沙河街道', 'Shahe'],
      ['SHEKOU', '蛇口街道', 'Shekou'], ['ZHAOSHANG', '招商街道', 'Zhaoshang'], ['YUEHAI', '粤海街道', 'Yuehai'],
      ['TAOYUAN', '桃源街道', 'Taoyuan'], ['XILI', '西丽街道', 'Xili'],
    ],
  },
  {
    code: 'SZ-YANTIAN', name: '盐田区', nameEn: 'Yantian', gbCode: '440308',
    streets: [
      ['MEISHA', '梅沙街道', 'Meisha'], ['YANTIAN', '盐田街道', 'Yantian'], ['SHATOUJIAO', '沙头角街道', 'Shatoujiao'],
      ['HAISHAN', '海山街道', 'Haishan'],
    ],
  },
  {
    code: 'SZ-BAOAN', name: '宝安区', nameEn: "Bao'an", gbCode: '440306',
    streets: [
      ['XINAN', '新安街道', "Xin'an"], ['XIXIANG', '西乡街道', 'Xixiang'], ['HANGCHENG', '航城街道', 'Hangcheng'],
      ['FUYONG', '福永街道', 'Fuyong'], ['FUHAI', '福海街道', 'Fuhai'], ['SHAJING', '沙井街道', 'Shajing'],
      ['XINQIAO', '新桥街道', 'Xinqiao'], ['SONGGANG', '松岗街道', 'Songgang'], ['YANLUO', '燕罗街道', 'Yanluo'],
      ['SHIYAN', '石岩街道', 'Shiyan'],
    ],
  },
  {
    code: 'SZ-LONGGANG', name: '龙岗区', nameEn: 'Longgang', gbCode: '440307',
    streets: [
      ['PINGHU', '平湖街道', 'Pinghu'], ['BANTIAN', '坂田街道', 'Bantian'], ['BUJI', '布吉街道', 'Buji'],
      ['JIHUA', '吉华街道', 'Jihua'], ['NANWAN', '南湾街道', 'Nanwan'], ['HENGGANG', '横岗街道', 'Henggang'],
      ['YUANSHAN', '园山街道', 'Yuanshan'], ['LONGCHENG', '龙城街道', 'Longcheng'], ['LONGGANG', '龙岗街道', 'Longgang'],
      ['BAOLONG', '宝龙街道', 'Baolong'], ['PINGDI', '坪地街道', 'Pingdi'],
    ],
  },
  {
    code: 'SZ-LONGHUA', name: '龙华区', nameEn: 'Longhua', gbCode: '440309',
    streets: [
      ['GUANLAN', '观澜街道', 'Guanlan'], ['LONGHUA', '龙华街道', 'Longhua'], ['DALANG', '大浪街道', 'Dalang'],
      ['MINZHI', '民治街道', 'Minzhi'], ['GUANHU', '观湖街道', 'Guanhu'], ['FUCHENG', '福城街道', 'Fucheng'],
    ],
  },
  {
    code: 'SZ-PINGSHAN', name: '坪山区', nameEn: 'Pingshan', gbCode: '440310',
    streets: [
      ['PINGSHAN', '坪山街道', 'Pingshan'], ['KENGZI', '坑梓街道', 'Kengzi'], ['MALUAN', '马峦街道', 'Maluan'],
      ['BILING', '碧岭街道', 'Biling'], ['SHIJING', '石井街道', 'Shijing'], ['LONGTIAN', '龙田街道', 'Longtian'],
    ],
  },
  {
    code: 'SZ-GUANGMING', name: '光明区', nameEn: 'Guangming', gbCode: '440311',
    streets: [
      ['GUANGMING', '光明街道', 'Guangming'], ['GONGMING', '公明街道', 'Gongming'], ['XINHU', '新湖街道', 'Xinhu'],
      ['FENGHUANG', '凤凰街道', 'Fenghuang'], ['YUTANG', '玉塘街道', 'Yutang'], ['MATIAN', '马田街道', 'Matian'],
    ],
  },
  {
    code: 'SZ-DAPENG', name: '大鹏新区', nameEn: 'Dapeng New District', gbCode: null,
    streets: [['KUICHONG', '葵涌街道', 'Kuichong'], ['DAPENG', '大鹏街道', 'Dapeng'], ['NANAO', '南澳街道', "Nan'ao"]],
  },
];
