import type { ProjectCategory } from '@charity-ledger/ledger-core';
import { CharityKind } from '../charities/charity.entity.js';

/**
 * What the demo is made of: six charities of the four legal kinds across Shenzhen,
 * their projects, what they buy and hand out, who gives to them. Every name ends in
 * （演示） so that nobody mistakes the demo for a real organisation.
 */

export interface DemoItem {
  itemCode: string;
  description: string;
  unit: string;
  /** yuan */
  unitPrice: number;
}

export const ITEMS = {
  WHEELCHAIR: { itemCode: 'WHEELCHAIR-STD', description: '手动轮椅', unit: '台', unitPrice: 800 },
  HEARING_AID: { itemCode: 'HEARING-AID', description: '耳背式助听器', unit: '个', unitPrice: 1_500 },
  MEDICINE_KIT: { itemCode: 'MEDICINE-KIT', description: '慢病常用药品包', unit: '份', unitPrice: 300 },
  CARE_KIT: { itemCode: 'ELDER-CARE-KIT', description: '居家照护包', unit: '份', unitPrice: 250 },
  WINTER_COAT: { itemCode: 'WINTER-COAT', description: '冬季棉衣', unit: '件', unitPrice: 150 },
  BLANKET: { itemCode: 'BLANKET', description: '棉被', unit: '床', unitPrice: 120 },
  RICE: { itemCode: 'RICE-10KG', description: '大米（10 千克）', unit: '袋', unitPrice: 65 },
  FOOD_PARCEL: { itemCode: 'FOOD-PARCEL', description: '生活物资包', unit: '份', unitPrice: 150 },
  SCHOOL_KIT: { itemCode: 'SCHOOL-KIT', description: '学习用品包', unit: '套', unitPrice: 120 },
  BOOK_SET: { itemCode: 'BOOK-SET', description: '儿童图书套装', unit: '套', unitPrice: 80 },
  REHAB_KIT: { itemCode: 'REHAB-KIT', description: '家庭康复训练器材', unit: '套', unitPrice: 2_500 },
} satisfies Record<string, DemoItem>;

export interface DemoSupplier {
  name: string;
  /** The 17 characters before the check character of its unified social credit code. */
  codeBody: string;
}

export const SUPPLIERS = {
  REHAB: { name: '深圳市康健医疗器械有限公司（演示）', codeBody: '91440300MA5D7K2Q0' },
  PHARMACY: { name: '深圳市仁济大药房连锁有限公司（演示）', codeBody: '91440300MA5F3N8R2' },
  GROCERY: { name: '深圳市鹏民生活超市有限公司（演示）', codeBody: '91440300MA5G6T1W4' },
  STATIONERY: { name: '深圳市书香文化用品有限公司（演示）', codeBody: '91440300MA5H9B3X6' },
  TEXTILE: { name: '深圳市暖冬纺织品有限公司（演示）', codeBody: '91440300MA5J2C5Y8' },
} satisfies Record<string, DemoSupplier>;

/** Donors who gave their consent to be named on the ledger. */
export const PUBLISHED_DONORS = [
  '深圳市腾跃科技有限公司（演示）',
  '深圳市前海汇通投资有限公司（演示）',
  '深圳市福田区商会（演示）',
  '深圳市南山区企业家联合会（演示）',
  '深圳湾律师事务所（演示）',
  '深圳市鹏程建设集团有限公司（演示）',
  '深圳市爱心车队（演示）',
  '深圳市华强电子有限公司（演示）',
];

/** Donors' names that stay off the ledger (publishName false): only the charity and regulators see them. */
export const PRIVATE_DONORS = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨磊', '赵敏', '黄志强', '周婷', '吴军', '徐丽', '孙浩', '马超', '朱慧', '胡斌', '郭晓红'];

export const CHANNELS = ['ONLINE_PLATFORM', 'WECHAT_PAY', 'ALIPAY', 'BANK_TRANSFER', 'CASH', 'CHEQUE'] as const;
/** How often each channel carries a small gift (same order as CHANNELS). */
export const CHANNEL_WEIGHTS = [40, 30, 18, 8, 3, 1];

export interface CashGrantPlan {
  /** Grants in the year at volume 1 (--volume scales it). */
  count: number;
  /** When set, the grants add up to exactly this many yuan (scaled with the count). */
  totalYuan?: number;
  /** Typical grant, yuan; sizes spread around it. */
  typicalYuan: number;
  minYuan: number;
  maxYuan: number;
  /** Share of grants that go to someone who already had one (a second course of treatment, a second term). */
  repeatShare: number;
  /** Months (1–12) the grants are paid in; default all. */
  months?: number[];
}

export interface GoodsPlan {
  items: DemoItem[];
  /** Deliveries in the year at volume 1. */
  deliveries: number;
  /** Units per delivery. */
  perDelivery: [number, number];
  supplier: DemoSupplier;
  months?: number[];
}

export interface ProjectTemplate {
  projectId: string;
  title: string;
  purpose: string;
  category: ProjectCategory;
  /** Street code, or the charity's district when absent. */
  street?: string;
  startDate: string;
  endDate: string;
  budgetYuan: number;
  publicFundraising: boolean;
  criteria: string;
  decisionBody: string;
  /** Month the project is opened in (default 1). */
  opensInMonth?: number;
  cashGrants?: CashGrantPlan;
  goods?: GoodsPlan;
  /** Monthly cost of running the project (charitable activity), yuan. */
  monthlyCostYuan: number;
  monthlyCostDescription: string;
  /** Weight of this project among the charity's restricted gifts. */
  giftWeight: number;
  /** Closes with its leftovers moved to another project. */
  close?: { closedOn: string; targetProjectId: string; explanation: string };
}

export interface NamedGift {
  donor: string;
  yuan: number;
  month: number;
  projectId?: string;
  /** A gift for a stated purpose: it pays the first purchase after it that it can pay alone (named funding). */
  purpose?: string;
  /** Part of the gift returned later (yuan; absent: whatever is left unspent). */
  refund?: { month: number; yuan?: number; reason: string };
}

/** A mistake the charity makes and corrects with a reversal (and, for a wrong entry, the right one). */
export interface Correction {
  month: number;
  kind: 'DUPLICATE_GRANT' | 'WRONG_DELIVERY' | 'WRONG_EXPENSE';
  projectId?: string;
}

export interface InKindGift {
  donor: string;
  item: DemoItem;
  quantity: number;
  month: number;
  projectId?: string;
}

export interface CharityTemplate {
  label: string;
  name: string;
  kind: CharityKind;
  district: string;
  handler: string;
  /** Small gifts a month at volume 1. */
  monthlyGifts: number;
  /** Typical small gift, yuan. */
  typicalGiftYuan: number;
  /** Share of small gifts that name no project (the pool); the rest follow the projects' weights. */
  unrestrictedShare: number;
  /** Share of small gifts whose donor consented to be named. */
  publishedShare: number;
  namedGifts: NamedGift[];
  inKindGifts: InKindGift[];
  projects: ProjectTemplate[];
  monthlyManagementYuan: number;
  monthlyFundraisingYuan: number;
  corrections: Correction[];
}

const months = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);
const quarterly = (donor: string, yuan: number, projectId?: string): NamedGift[] => [1, 4, 7, 10].map((month) => ({ donor, yuan, month, projectId }));

/** The major-illness relief fund of the policy report: in 2024, 1,209 grants, ¥21,997,900 in total. */
export const MAJOR_ILLNESS = { label: 'c1', projectId: 'P-2024-DBJZ', grants: 1_209, totalYuan: 21_997_900 } as const;

export const CHARITY_TEMPLATES: readonly CharityTemplate[] = [
  {
    label: 'c1',
    name: '深圳市鹏城大病救助慈善基金会（演示）',
    kind: CharityKind.PUBLIC_FUNDRAISING_FOUNDATION,
    district: 'SZ-FUTIAN',
    handler: '林会计',
    monthlyGifts: 1_150,
    typicalGiftYuan: 260,
    unrestrictedShare: 0.3,
    publishedShare: 0.06,
    namedGifts: [
      ...quarterly('深圳市腾跃科技有限公司（演示）', 2_500_000, MAJOR_ILLNESS.projectId),
      ...quarterly('深圳市前海汇通投资有限公司（演示）', 1_200_000, MAJOR_ILLNESS.projectId),
      ...quarterly('深圳市福田区商会（演示）', 1_000_000),
      { donor: '深圳市华强电子有限公司（演示）', yuan: 800_000, month: 6, projectId: 'P-2024-YPYZ' },
      {
        donor: '深圳市鹏程建设集团有限公司（演示）',
        yuan: 300_000,
        month: 11,
        projectId: 'P-2024-YPYZ',
        refund: { month: 12, yuan: 50_000, reason: '项目年度药品采购结余，应捐赠人要求退还部分未使用的捐赠。' },
      },
    ],
    inKindGifts: [{ donor: '深圳市仁济大药房连锁有限公司（演示）', item: ITEMS.MEDICINE_KIT, quantity: 400, month: 3, projectId: 'P-2024-YPYZ' }],
    projects: [
      {
        projectId: MAJOR_ILLNESS.projectId,
        title: '2024 年大病救助基金',
        purpose: '为本市低收入家庭中罹患重大疾病的患者提供医疗费用救助，减轻因病致贫、因病返贫。',
        category: 'MEDICAL_AID',
        startDate: '2024-01-01',
        endDate: '2024-12-31',
        budgetYuan: 23_000_000,
        publicFundraising: true,
        criteria: '深圳户籍或持居住证满一年，家庭人均收入低于本市最低生活保障标准两倍，当年自付医疗费用超过 2 万元的重大疾病患者。',
        decisionBody: '大病救助项目评审委员会',
        cashGrants: { count: MAJOR_ILLNESS.grants, totalYuan: MAJOR_ILLNESS.totalYuan, typicalYuan: 16_000, minYuan: 3_000, maxYuan: 80_000, repeatShare: 0.05 },
        monthlyCostYuan: 18_000,
        monthlyCostDescription: '个案核查与入户探访',
        giftWeight: 8,
      },
      {
        projectId: 'P-2024-YPYZ',
        title: '慢病患者用药援助',
        purpose: '为低收入慢性病患者定期发放常用药品包。',
        category: 'MEDICAL_AID',
        street: 'SZ-FUTIAN-HUAFU',
        startDate: '2024-01-01',
        endDate: '2024-12-31',
        budgetYuan: 1_500_000,
        publicFundraising: true,
        criteria: '持有慢性病门诊证明的低保或低收入家庭成员。',
        decisionBody: '项目执行委员会',
        goods: { items: [ITEMS.MEDICINE_KIT], deliveries: 900, perDelivery: [1, 3], supplier: SUPPLIERS.PHARMACY },
        monthlyCostYuan: 4_000,
        monthlyCostDescription: '药品配送与志愿者补贴',
        giftWeight: 2,
      },
    ],
    monthlyManagementYuan: 85_000,
    monthlyFundraisingYuan: 30_000,
    corrections: [
      { month: 4, kind: 'DUPLICATE_GRANT', projectId: MAJOR_ILLNESS.projectId },
      { month: 6, kind: 'WRONG_EXPENSE' },
      { month: 10, kind: 'DUPLICATE_GRANT', projectId: MAJOR_ILLNESS.projectId },
    ],
  },
  {
    label: 'c2',
    name: '深圳市南山助残公益基金会（演示）',
    kind: CharityKind.NON_PUBLIC_FUNDRAISING_FOUNDATION,
    district: 'SZ-NANSHAN',
    handler: '陈出纳',
    monthlyGifts: 45,
    typicalGiftYuan: 800,
    unrestrictedShare: 0.5,
    publishedShare: 0.1,
    namedGifts: [...quarterly('深圳市南山区企业家联合会（演示）', 400_000), ...quarterly('深圳湾律师事务所（演示）', 60_000, 'P-LUNYI')],
    inKindGifts: [],
    projects: [
      {
        projectId: 'P-LUNYI',
        title: '轮椅进社区',
        purpose: '为行动不便的残疾人和高龄老人配送手动轮椅。',
        category: 'DISABILITY_SUPPORT',
        street: 'SZ-NANSHAN-SHEKOU',
        startDate: '2024-01-01',
        endDate: '2025-06-30',
        budgetYuan: 600_000,
        publicFundraising: false,
        criteria: '持有肢体残疾证或经社区评估行动不便的本区居民。',
        decisionBody: '项目评审小组',
        goods: { items: [ITEMS.WHEELCHAIR], deliveries: 260, perDelivery: [1, 1], supplier: SUPPLIERS.REHAB },
        monthlyCostYuan: 3_000,
        monthlyCostDescription: '轮椅配送与适配服务',
        giftWeight: 1,
      },
      {
        projectId: 'P-TINGLI',
        title: '听力重建计划',
        purpose: '为听力残疾儿童和老人验配助听器。',
        category: 'DISABILITY_SUPPORT',
        startDate: '2024-03-01',
        endDate: '2024-12-31',
        budgetYuan: 450_000,
        publicFundraising: false,
        criteria: '经医院听力评估需要验配助听器的低收入家庭成员。',
        decisionBody: '项目评审小组',
        opensInMonth: 3,
        goods: { items: [ITEMS.HEARING_AID], deliveries: 180, perDelivery: [1, 2], supplier: SUPPLIERS.REHAB, months: months(3, 12) },
        monthlyCostYuan: 2_500,
        monthlyCostDescription: '听力评估与验配',
        giftWeight: 1,
      },
    ],
    monthlyManagementYuan: 12_000,
    monthlyFundraisingYuan: 0,
    corrections: [],
  },
  {
    label: 'c3',
    name: '深圳市罗湖区长者关爱协会（演示）',
    kind: CharityKind.SOCIAL_ORGANISATION,
    district: 'SZ-LUOHU',
    handler: '黄干事',
    monthlyGifts: 120,
    typicalGiftYuan: 150,
    unrestrictedShare: 0.4,
    publishedShare: 0.05,
    namedGifts: [{ donor: '深圳市爱心车队（演示）', yuan: 50_000, month: 1 }, ...quarterly('深圳市福田区商会（演示）', 40_000, 'P-DUJU')],
    inKindGifts: [
      { donor: '深圳市鹏民生活超市有限公司（演示）', item: ITEMS.RICE, quantity: 300, month: 1 },
      { donor: '深圳市鹏民生活超市有限公司（演示）', item: ITEMS.RICE, quantity: 300, month: 9 },
      { donor: '深圳市暖冬纺织品有限公司（演示）', item: ITEMS.BLANKET, quantity: 200, month: 11, projectId: 'P-DONGRI' },
    ],
    projects: [
      {
        projectId: 'P-DUJU',
        title: '独居长者关爱行动',
        purpose: '为独居、空巢长者定期上门探访并发放居家照护包和生活物资。',
        category: 'ELDERLY_CARE',
        street: 'SZ-LUOHU-DONGMEN',
        startDate: '2024-01-01',
        endDate: '2024-12-31',
        budgetYuan: 360_000,
        publicFundraising: true,
        criteria: '年满 70 周岁、独居或与残疾子女同住的本区户籍长者。',
        decisionBody: '协会理事会',
        goods: { items: [ITEMS.CARE_KIT, ITEMS.RICE], deliveries: 700, perDelivery: [1, 2], supplier: SUPPLIERS.GROCERY },
        monthlyCostYuan: 5_000,
        monthlyCostDescription: '社工上门探访交通与通讯',
        giftWeight: 3,
      },
      {
        projectId: 'P-DONGRI',
        title: '冬日暖心',
        purpose: '冬季为困难长者送去棉衣和棉被。',
        category: 'ELDERLY_CARE',
        startDate: '2024-01-01',
        endDate: '2024-12-31',
        budgetYuan: 120_000,
        publicFundraising: true,
        criteria: '享受低保或特困供养的本区长者。',
        decisionBody: '协会理事会',
        goods: { items: [ITEMS.WINTER_COAT, ITEMS.BLANKET], deliveries: 300, perDelivery: [1, 2], supplier: SUPPLIERS.TEXTILE, months: [1, 2, 11, 12] },
        monthlyCostYuan: 800,
        monthlyCostDescription: '物资分装与配送',
        giftWeight: 1,
      },
    ],
    monthlyManagementYuan: 9_000,
    monthlyFundraisingYuan: 1_500,
    corrections: [{ month: 5, kind: 'WRONG_DELIVERY', projectId: 'P-DUJU' }],
  },
  {
    label: 'c4',
    name: '深圳市龙岗区星光社会工作服务中心（演示）',
    kind: CharityKind.SOCIAL_SERVICE_AGENCY,
    district: 'SZ-LONGGANG',
    handler: '吴社工',
    monthlyGifts: 160,
    typicalGiftYuan: 200,
    unrestrictedShare: 0.35,
    publishedShare: 0.08,
    namedGifts: [{ donor: '深圳市鹏程建设集团有限公司（演示）', yuan: 200_000, month: 2, projectId: 'P-ZHUXUE' }, { donor: '深圳市鹏程建设集团有限公司（演示）', yuan: 200_000, month: 8, projectId: 'P-ZHUXUE' }],
    inKindGifts: [{ donor: '深圳市书香文化用品有限公司（演示）', item: ITEMS.BOOK_SET, quantity: 500, month: 4, projectId: 'P-TUSHU' }],
    projects: [
      {
        projectId: 'P-ZHUXUE',
        title: '困境儿童助学金',
        purpose: '每学期为困境家庭的中小学生发放助学金和学习用品。',
        category: 'CHILD_WELFARE',
        street: 'SZ-LONGGANG-BUJI',
        startDate: '2024-01-01',
        endDate: '2024-12-31',
        budgetYuan: 800_000,
        publicFundraising: true,
        criteria: '父母一方重残、重病或服刑，家庭人均收入低于低保标准 1.5 倍的在读中小学生。',
        decisionBody: '助学项目评审会',
        cashGrants: { count: 320, typicalYuan: 1_500, minYuan: 1_000, maxYuan: 3_000, repeatShare: 0.45, months: [2, 3, 9, 10] },
        goods: { items: [ITEMS.SCHOOL_KIT], deliveries: 300, perDelivery: [1, 1], supplier: SUPPLIERS.STATIONERY, months: [2, 9] },
        monthlyCostYuan: 3_500,
        monthlyCostDescription: '家访与学业辅导',
        giftWeight: 3,
      },
      {
        projectId: 'P-TUSHU',
        title: '社区儿童图书角',
        purpose: '在社区党群服务中心建设儿童图书角并向儿童赠书。',
        category: 'EDUCATION',
        street: 'SZ-LONGGANG-BANTIAN',
        startDate: '2024-01-01',
        endDate: '2024-12-31',
        budgetYuan: 150_000,
        publicFundraising: true,
        criteria: '图书角所在社区 6 至 12 岁的儿童。',
        decisionBody: '项目执行小组',
        opensInMonth: 3,
        goods: { items: [ITEMS.BOOK_SET], deliveries: 350, perDelivery: [1, 2], supplier: SUPPLIERS.STATIONERY, months: months(4, 12) },
        monthlyCostYuan: 1_200,
        monthlyCostDescription: '阅读推广活动',
        giftWeight: 1,
      },
    ],
    monthlyManagementYuan: 15_000,
    monthlyFundraisingYuan: 2_000,
    corrections: [],
  },
  {
    label: 'c5',
    name: '深圳市宝安区善心慈善会（演示）',
    kind: CharityKind.PUBLIC_FUNDRAISING_FOUNDATION,
    district: 'SZ-BAOAN',
    handler: '郑会计',
    monthlyGifts: 380,
    typicalGiftYuan: 180,
    unrestrictedShare: 0.35,
    publishedShare: 0.05,
    namedGifts: [
      ...quarterly('深圳市前海汇通投资有限公司（演示）', 150_000, 'P-SHIWU'),
      { donor: '深圳市腾跃科技有限公司（演示）', yuan: 600_000, month: 2, projectId: 'P-YILIAO' },
      { donor: '深圳市华强电子有限公司（演示）', yuan: 300_000, month: 9, projectId: 'P-TAIFENG' },
    ],
    inKindGifts: [
      { donor: '深圳市鹏民生活超市有限公司（演示）', item: ITEMS.FOOD_PARCEL, quantity: 400, month: 5 },
      { donor: '深圳市暖冬纺织品有限公司（演示）', item: ITEMS.BLANKET, quantity: 300, month: 9, projectId: 'P-TAIFENG' },
    ],
    projects: [
      {
        projectId: 'P-SHIWU',
        title: '社区食物银行',
        purpose: '每月为低收入家庭发放生活物资包和大米。',
        category: 'POVERTY_RELIEF',
        street: 'SZ-BAOAN-XIXIANG',
        startDate: '2024-01-01',
        endDate: '2025-12-31',
        budgetYuan: 1_200_000,
        publicFundraising: true,
        criteria: '享受最低生活保障或低收入认定的本区家庭。',
        decisionBody: '慈善会项目委员会',
        goods: { items: [ITEMS.FOOD_PARCEL, ITEMS.RICE], deliveries: 1_100, perDelivery: [1, 3], supplier: SUPPLIERS.GROCERY },
        monthlyCostYuan: 4_500,
        monthlyCostDescription: '仓储与配送',
        giftWeight: 3,
      },
      {
        projectId: 'P-YILIAO',
        title: '困难家庭医疗救助',
        purpose: '为本区困难家庭的住院患者提供医疗费用补助。',
        category: 'MEDICAL_AID',
        street: 'SZ-BAOAN-XINAN',
        startDate: '2024-01-01',
        endDate: '2024-12-31',
        budgetYuan: 1_500_000,
        publicFundraising: true,
        criteria: '本区户籍低收入家庭中当年住院自付费用超过 1 万元的患者。',
        decisionBody: '慈善会项目委员会',
        cashGrants: { count: 160, typicalYuan: 5_000, minYuan: 1_000, maxYuan: 20_000, repeatShare: 0.05 },
        monthlyCostYuan: 2_000,
        monthlyCostDescription: '个案审核',
        giftWeight: 2,
      },
      {
        projectId: 'P-TAIFENG',
        title: '台风“摩羯”应急救灾',
        purpose: '为受台风和强降雨影响的家庭提供应急生活物资。',
        category: 'DISASTER_RELIEF',
        street: 'SZ-BAOAN-SHAJING',
        startDate: '2024-09-06',
        endDate: '2024-11-30',
        budgetYuan: 500_000,
        publicFundraising: true,
        criteria: '住房进水或财产受损、经社区核实的受灾家庭。',
        decisionBody: '应急救灾工作组',
        opensInMonth: 9,
        goods: { items: [ITEMS.FOOD_PARCEL, ITEMS.BLANKET], deliveries: 350, perDelivery: [1, 3], supplier: SUPPLIERS.GROCERY, months: [9, 10] },
        monthlyCostYuan: 6_000,
        monthlyCostDescription: '救灾物资运输',
        giftWeight: 4,
        close: { closedOn: '2024-11-30', targetProjectId: 'P-SHIWU', explanation: '应急救灾阶段结束，剩余限定性资金和物资依《慈善法》第五十八条转入用途相近的社区食物银行项目。' },
      },
    ],
    monthlyManagementYuan: 28_000,
    monthlyFundraisingYuan: 6_000,
    corrections: [{ month: 6, kind: 'DUPLICATE_GRANT', projectId: 'P-YILIAO' }],
  },
  {
    label: 'c6',
    name: '深圳市龙华区阳光康复服务中心（演示）',
    kind: CharityKind.SOCIAL_SERVICE_AGENCY,
    district: 'SZ-LONGHUA',
    handler: '何出纳',
    monthlyGifts: 60,
    typicalGiftYuan: 300,
    unrestrictedShare: 0.4,
    publishedShare: 0.1,
    namedGifts: [
      {
        donor: '深圳市爱心车队（演示）',
        yuan: 20_000,
        month: 3,
        purpose: '购置家庭康复训练器材',
        refund: { month: 11, reason: '器材已购置完毕，结余部分按捐赠人意愿退还。' },
      },
      ...quarterly('深圳市南山区企业家联合会（演示）', 50_000, 'P-KANGFU'),
    ],
    inKindGifts: [],
    projects: [
      {
        projectId: 'P-KANGFU',
        title: '残疾儿童康复训练补贴',
        purpose: '为残疾儿童家庭提供康复训练补贴和家庭康复器材。',
        category: 'DISABILITY_SUPPORT',
        street: 'SZ-LONGHUA-MINZHI',
        startDate: '2024-01-01',
        endDate: '2024-12-31',
        budgetYuan: 400_000,
        publicFundraising: false,
        criteria: '0 至 14 岁持残疾证或经医院诊断需要康复训练的本区儿童。',
        decisionBody: '中心服务委员会',
        cashGrants: { count: 180, typicalYuan: 1_200, minYuan: 500, maxYuan: 3_000, repeatShare: 0.6 },
        goods: { items: [ITEMS.REHAB_KIT], deliveries: 12, perDelivery: [1, 1], supplier: SUPPLIERS.REHAB, months: [6, 7] },
        monthlyCostYuan: 3_000,
        monthlyCostDescription: '康复师上门指导',
        giftWeight: 1,
      },
    ],
    monthlyManagementYuan: 10_000,
    monthlyFundraisingYuan: 500,
    corrections: [{ month: 9, kind: 'WRONG_EXPENSE' }],
  },
];

/** Pseudonymous people helped by two charities in one category in 2024: what `duplicateAidReport` must find. */
export const PLANTED_DUPLICATES = {
  category: 'MEDICAL_AID' as ProjectCategory,
  people: ['city-1', 'city-2', 'city-3', 'city-4', 'city-5'],
  /** charity label → project that pays them */
  projects: { c1: MAJOR_ILLNESS.projectId, c5: 'P-YILIAO' } as Record<string, string>,
};
