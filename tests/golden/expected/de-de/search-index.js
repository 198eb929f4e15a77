/* folio search index: the manifest (see out_search.h); loaded by assets/folio-search.js */
folioSearchManifest({"v":2,"version":"1ec2c7c67ee0b3dd","locale":"de-de","lang":"de-de","pages":8,"shards":[""]});
