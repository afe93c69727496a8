/**
 * Name material for the synthetic portfolio, by culture. Lists are space-separated, with
 * `_` standing for a space inside a name ("De_Luca"). Common names come first: the
 * generator draws from them with a Zipf-like weight, and builds a long tail from the
 * morphemes (`stems` × `endings`), compound surnames and spelling variants.
 */

export interface CultureData {
  readonly id: string;
  /** Language most customers of this culture get, and how often. */
  readonly language: string;
  readonly languageShare: number;
  readonly female: string;
  readonly male: string;
  readonly family: string;
  /** Family names built as stem + ending, e.g. Rosen + berg. */
  readonly stems?: string;
  readonly endings?: string;
  /** Spanish-style double surnames (paternal + maternal). */
  readonly doubleSurnameShare?: number;
  /** Hyphenated double-barrelled surnames. */
  readonly hyphenShare?: number;
  /** Share of people with a middle name. */
  readonly middleNameShare: number;
}

export const CULTURES: readonly CultureData[] = [
  {
    id: 'anglo',
    language: 'en',
    languageShare: 1,
    middleNameShare: 0.45,
    hyphenShare: 0.01,
    female:
      'Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Margaret Sandra Ashley Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia Kathleen Katherine Catherine Kathryn Amy Angela Shirley Anna Brenda Pamela Emma Nicole Helen Samantha Christine Debra Rachel Carolyn Janet Virginia Heather Diane Ruth Julie Olivia Joyce Victoria Kelly Christina Lauren Joan Evelyn Judith Megan Andrea Cheryl Hannah Jacqueline Martha Gloria Teresa Ann Anne Sara Madison Frances Janice Jean Abigail Alice Judy Sophia Grace Denise Amber Doris Marilyn Danielle Beverly Isabella Theresa Diana Natalie Brittany Charlotte Marie Kayla Alexis Lori Keisha Latoya Tanisha Imani Aaliyah Ebony Shanice Jasmine Destiny Brianna Harper Avery Ella Scarlett Aria Chloe Zoe Zoë Penelope Layla Nora Lily Eleanor Hazel Aurora Violet Savannah Audrey Claire Skylar Lucy Paisley Everly Caroline Genesis Kennedy Maya Willow Kinsley Naomi Elena Ariana Gabriella Allison Mackenzie Leah Addison Bella Stella Peyton Taylor Sadie Ruby Piper Cora Eliana Quinn Gwendolyn Bethany Philippa Imogen Harriet Poppy Freya Florence Matilda Edith Mabel Winifred Georgina Rosalind',
    male: 'James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony Mark Donald Steven Stephen Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Geoffrey Ryan Jacob Gary Nicholas Eric Jonathan Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Frank Patrick Raymond Jack Dennis Jerry Tyler Aaron Henry Adam Douglas Nathan Peter Zachary Kyle Walter Harold Jeremy Ethan Carl Keith Roger Gerald Christian Terry Sean Shawn Shaun Arthur Austin Noah Lawrence Jesse Joe Bryan Billy Jordan Albert Dylan Bruce Willie Gabriel Alan Allan Allen Wayne Ralph Roy Eugene Louis Philip Phillip Bobby Russell Vincent Logan Liam Mason Elijah Lucas Oliver Aiden Aidan Ayden Carter Jayden Grayson Hunter Connor Cameron Dominic Evan Ian Isaac Caleb Landon Jace Colton Chase Blake DeShawn Jamal Tyrone Darnell Malik Terrell Andre Marquis Dwayne Reginald Cedric Darius Jerome Lamar Rupert Nigel Clive Alistair Barnaby Hugo Rory Callum Archie Alfie Reginald Cecil Percival',
    family:
      'Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Jackson Martin Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams Baker Nelson Carter Mitchell Roberts Turner Phillips Campbell Parker Evans Edwards Collins Stewart Morris Rogers Reed Cook Morgan Bell Cooper Richardson Cox Howard Ward Peterson Gray Grey James Watson Brooks Kelly Sanders Price Bennett Wood Barnes Ross Henderson Coleman Jenkins Perry Powell Long Patterson Hughes Washington Butler Simmons Foster Bryant Alexander Russell Griffin Hayes Myers Ford Hamilton Graham Wallace Woods Cole West Jordan Owens Reynolds Fisher Ellis Harrison Gibson Marshall Wells Tucker Porter Hunter Hicks Crawford Henry Boyd Mason Kennedy Warren Dixon Burns Gordon Shaw Holmes Rice Robertson Hunt Black Daniels Palmer Mills Nichols Grant Knight Ferguson Stone Hawkins Dunn Perkins Hudson Spencer Gardner Stephens Stevens Payne Pierce Berry Matthews Arnold Willis Ray Watkins Carroll Duncan Snyder Hart Cunningham Bradley Lane Andrews Harper Fox Riley Armstrong Carpenter Weaver Greene Lawrence Elliott Elliot Chapman Johnston Johnstone Montgomery Thornton Hopkins Cartwright Whitaker Whittaker Pemberton Ashworth Blackwood Fairweather Goodwin Hargreaves Kendrick Lockwood Marlowe Norwood Oakley Prescott Radcliffe Sutcliffe Underwood Wainwright Yardley Thompsett Smyth Smythe Philips Philipps Macdonald Mcdonald Reid Reade Clarke Browne Cooke Frost Winter Summers Lambert Barker Fletcher Webb Walsh Hale Booth Dawson Holland Lloyd Lloyde Rowe Stanley Newman Bishop Chambers Sharp Sharpe Bates Hewitt Kemp Pearce Pearson Dyer Slater Thorne Tanner Potter Mercer Archer Fuller Sawyer Thatcher Wheeler Chandler',
    stems:
      'Ash Black Brad Brook Crom Dun Fair Haw Kings Lang Mid Nor Ox Ral Shel Stan Wes Whit Wood Aber Bright Card Chal Cran Dal Ed Elm Fen Glad Hamp Hart Hol Kirk Lock Marl Mor Pem Red Ring Roth Shep Stock Sud Thorn Wal War Wil Win',
    endings: 'ford ley ton well worth wood field by ham hurst more brook stead combe bury ridge wick dale',
  },
  {
    id: 'hispanic',
    language: 'es',
    languageShare: 0.45,
    middleNameShare: 0.3,
    doubleSurnameShare: 0.22,
    female:
      'María Maria Guadalupe Juana Ana Rosa Margarita Verónica Veronica Elizabeth Leticia Patricia Gabriela Alejandra Adriana Isabel Sofía Sofia Valentina Camila Lucía Lucia Daniela Mariana Ximena Regina Fernanda Valeria Paula Andrea Carmen Dolores Pilar Concepción Inés Beatriz Rocío Mónica Monica Yolanda Silvia Norma Claudia Marisol Esperanza Soledad Luz Araceli Xóchitl Itzel Belén Nayeli Yesenia Marisela Graciela Reyna Catalina Natalia Julieta Antonia Josefina Teresa Irene',
    male: 'José Jose Juan Luis Carlos Jesús Jesus Miguel Jorge Antonio Francisco Alejandro Roberto Fernando Ricardo Eduardo Javier Manuel Raúl Raul Pedro Sergio Arturo Rafael Daniel Héctor Hector Óscar Oscar Ramón Ramon Andrés Andres Diego Santiago Mateo Sebastián Emiliano Joaquín Martín Iván Rubén Ruben Salvador Alberto Enrique Guillermo Ignacio Julio Gerardo Ernesto Alfredo Armando Gustavo Marco Hugo Mauricio Rodrigo Tomás Nicolás Agustín Felipe Esteban Gonzalo Ángel',
    family:
      'García Garcia Martínez Martinez Rodríguez Rodriguez Hernández Hernandez López Lopez González Gonzalez Pérez Perez Sánchez Sanchez Ramírez Ramirez Torres Flores Rivera Gómez Gomez Díaz Diaz Cruz Morales Reyes Gutiérrez Gutierrez Ortiz Chávez Chavez Ramos Ruiz Álvarez Alvarez Mendoza Castillo Jiménez Jimenez Vásquez Vasquez Vázquez Moreno Herrera Medina Aguilar Vargas Guzmán Guzman Muñoz Munoz Núñez Nunez Peña Pena Domínguez Rojas Salazar Ibáñez Ibarra Ybarra Castañeda Velázquez Velasquez Delgado Soto Contreras Estrada Figueroa Sandoval Cervantes Mejía Mejia Acosta Cabrera Campos Ríos Rios Fuentes Carrillo Espinoza Espinosa Valenzuela Orozco Lara Navarro Serrano Molina Ortega Romero Suárez Suarez Cortés Cortez Cordero Villanueva Zamora Quintero Paredes Benítez Bermúdez Montoya Arellano Trujillo Luna Valdez Valdés',
    stems:
      'Fernánd Gonzál Rodrígu Márqu Sánch Hernánd Domíngu Enríqu Benít Vel Antún Martín Álvar Góm Lóp Yáñ Ordóñ Muñ Jimén Ibáñ Núñ Cháv',
    endings: 'ez es',
  },
  {
    id: 'german',
    language: 'de',
    languageShare: 0.05,
    middleNameShare: 0.25,
    female:
      'Anna Maria Ursula Monika Petra Elisabeth Sabine Renate Helga Karin Brigitte Ingrid Erika Andrea Gisela Claudia Susanne Gabriele Christa Christine Hildegard Birgit Barbara Marianne Heike Jutta Katrin Silke Anja Nicole Stefanie Julia Lena Lea Hannah Marie Leonie Lara Jana Greta Frieda Lotte Anneliese Gerda Gudrun Heidi Ilse Irmgard Käthe Liesel Waltraud Dörte Jördis',
    male: 'Peter Michael Thomas Wolfgang Klaus Jürgen Juergen Dieter Hans Uwe Günter Günther Gunther Stefan Stephan Andreas Frank Bernd Werner Horst Helmut Manfred Gerhard Heinz Rainer Jörg Joerg Ralf Ralph Matthias Markus Marcus Sven Tobias Florian Lukas Lucas Jonas Felix Maximilian Leon Paul Finn Moritz Niklas Jannik Björn Dirk Detlef Volker Karl Carl Friedrich Heinrich Wilhelm Otto Ernst Hermann Rüdiger',
    family:
      'Müller Mueller Muller Miller Meyer Maier Mayer Meier Meir Schmidt Schmitt Schmid Schmied Schneider Fischer Weber Wagner Becker Bäcker Schulz Schulze Hoffmann Hofmann Hoffman Koch Richter Klein Wolf Wolff Schröder Schroeder Schroder Neumann Schwarz Zimmermann Braun Krüger Krueger Hartmann Lange Schmitz Krause Werner Köhler Koehler Lehmann Huber Kaiser Fuchs Peters Lang Scholz Möller Moeller Weiß Weiss Jung Hahn Vogel Friedrich Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht Schuster Simon Ludwig Böhm Winter Kraus Martin Schumacher Krämer Kraemer Vogt Stein Jäger Jaeger Otto Sommer Groß Gross Seidel Heinrich Brandt Haas Schreiber Graf Dietrich Ziegler Kuhn Kühn Pohl Engel Horn Busch Bergmann Thomas Voigt Sauer Arnold Wolter Pfeiffer Pfeifer',
    stems:
      'Rosen Gold Stein Wein Eisen Berg Lichten Grün Hoch Neu Alt Kirch Feld Wald Bach Brunn Schön Linden Eichen Tann Sonnen Blumen Silber Kirsch Apfel Mittel Ober Unter',
    endings: 'berg stein feld mann bach thal hof baum wald burger dorf hauser heim haus',
  },
  {
    id: 'irish',
    language: 'en',
    languageShare: 1,
    middleNameShare: 0.35,
    female:
      'Siobhán Siobhan Niamh Aoife Caoimhe Saoirse Róisín Roisin Aisling Orla Orlaith Sinéad Sinead Clodagh Gráinne Eimear Méabh Maeve Ciara Deirdre Bríd Brigid Úna Oonagh Nuala Fionnuala Mairéad Eilís Áine Grainne Sorcha Cliodhna Dearbhla Ailbhe Bronagh',
    male: 'Seán Sean Pádraig Padraig Patrick Ciarán Ciaran Éamon Eamon Eamonn Liam Conor Connor Cian Oisín Oisin Darragh Tadhg Dónal Donal Fionn Colm Cathal Diarmuid Dermot Fergal Ronan Rónán Niall Declan Brendan Cormac Lorcan Ruairí Rory Aodhán Séamus Seamus Tiernan Kieran Eoin Eoghan',
    family:
      "O'Brien O'Connor O'Neill O'Sullivan O'Donnell O'Reilly O'Connell O'Leary O'Mahony O'Keeffe O'Keefe O'Driscoll O'Grady O'Hara O'Rourke O'Shea O'Dwyer O'Toole Murphy Kelly Sullivan Walsh McCarthy Byrne Ryan Doyle Gallagher Fitzgerald Kennedy Lynch Murray Quinn Moore McLaughlin Carroll Connolly Daly Brennan Burke Collins Campbell Clarke Johnston Hughes Farrell Fitzpatrick Brady Maguire McGuire Nolan Flynn Thompson Callaghan Boyle Healy Kavanagh Cavanagh Kearney Keane Hogan Duffy Dunne Dunn Mulligan Nagle Ó_Súilleabháin Ó_Briain Mac_Giolla McGrath MacGrath McKenna MacKenna McCormack McCormick McMahon MacMahon McNamara Macnamara",
    stems: "O' Mc Mac",
    endings:
      'Brien Connor Neill Donnell Leary Rourke Mahony Keefe Driscoll Grady Hara Shea Dowd Gorman Halloran Callaghan Carthy Donald Laughlin Kenna Guire Cormick Namara Grath Intyre Kay Allister Gowan Bride Dermott',
  },
  {
    id: 'italian',
    language: 'en',
    languageShare: 1,
    middleNameShare: 0.2,
    female:
      'Giulia Francesca Chiara Sara Martina Valentina Alessandra Federica Elisa Silvia Giovanna Rosa Antonella Lucia Paola Angela Teresa Carla Simona Daniela Roberta Gianna Lucrezia Beatrice Ginevra Aurora Alice Sofia Gabriella Donatella Mariangela Annunziata Carmela Concetta Filomena',
    male: 'Giuseppe Giovanni Antonio Mario Luigi Francesco Angelo Vincenzo Pietro Salvatore Carlo Franco Domenico Bruno Paolo Michele Giorgio Aldo Sergio Luciano Marco Alessandro Andrea Matteo Lorenzo Leonardo Gabriele Riccardo Tommaso Davide Stefano Nicola Enzo Gianluca Massimo Fabio Raffaele Gennaro Rocco Vito Nicolò Niccolò',
    family:
      "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti De_Luca DeLuca Mancini Costa Giordano Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi Caruso Ferrara Galli Martini Leone Longo Gentile Martinelli Vitale Lombardo Serra Coppola De_Santis DeSantis D'Angelo DAngelo Marchetti Parisi Villa Conte Ferraro Ferri Fabbri Bianco Marini Grasso Valentini Messina Sala De_Angelis Gatti Pellegrini Palumbo Sanna Farina Rizzi Monti Cattaneo Morelli Amato Silvestri Mazza Testa Grassi Pellegrino Carbone Giuliani Benedetti Barone Rossetti Caputo Montanari Guerra Palmieri Bernardi Martino Fiore De_Rosa Ferretti Bellini Basile Riva Donati Piras Vitali Battaglia Sartori Neri Costantini Milani Pagano Ruggiero Sorrentino D'Amico Orlando Damico Negri",
    stems: 'Bel Car Cas Mar Pel Ros Val Ver Fran Gian Ber Cor Del Fer Mon Sal Tor Vin',
    endings: 'lini lino etti ello ucci ino ari oni ella azzo iero',
  },
  {
    id: 'french',
    language: 'fr',
    languageShare: 0.3,
    middleNameShare: 0.15,
    female:
      'Marie Jeanne Françoise Francoise Monique Catherine Nathalie Isabelle Sylvie Anne Martine Nicole Christine Sophie Valérie Valerie Céline Celine Aurélie Aurelie Hélène Helene Élodie Elodie Émilie Emilie Chloé Chloe Léa Lea Manon Camille Zoé Zoe Inès Ines Océane Mélanie Mélissa Geneviève Josée Marie-Claire Marie-Ève Anne-Sophie Marie-Hélène Brigitte Danielle Mireille Gisèle',
    male: 'Jean Pierre Michel Philippe Alain Nicolas Christophe Patrick Daniel Bernard Éric Eric Frédéric Frederic Laurent Stéphane Stephane Olivier David Thierry Pascal Julien Sébastien Sebastien Étienne Etienne François Francois Gaël Gael Noël Noel Benoît Benoit Jérôme Jerome Thibault Hugo Lucas Théo Theo Mathis Gabriel Louis Raphaël Raphael Jean-Pierre Jean-Luc Jean-François Jean-Marc Pierre-Luc Marc-André Guillaume Rémi Rémy Cédric Yannick Loïc',
    family:
      'Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Lefèvre Lefevre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Andre Lefèbvre Mercier Dupont Lambert Bonnet François Martinez Legrand Garnier Faure Rousseau Blanc Guérin Guerin Muller Henry Roussel Nicolas Perrin Morin Mathieu Clément Clement Gauthier Gautier Dumont Lopez Fontaine Chevalier Robin Masson Sanchez Gérard Nguyen Boyer Denis Lemaire Duval Joly Gagnon Tremblay Côté Cote Bouchard Gauvin Pelletier Bélanger Belanger Lévesque Levesque Bergeron Leblanc Paquette Girouard Thériault Theriault Caron Beaulieu Cloutier Dufour Fortin Ouellet Ouellette Bérubé Berube Poirier Létourneau Deschamps Desjardins Dubé Lachance',
  },
  {
    id: 'polish',
    language: 'pl',
    languageShare: 0.3,
    middleNameShare: 0.1,
    female:
      'Anna Maria Katarzyna Małgorzata Malgorzata Agnieszka Barbara Ewa Krystyna Elżbieta Elzbieta Zofia Joanna Magdalena Monika Aleksandra Natalia Karolina Justyna Dorota Jadwiga Halina Irena Beata Grażyna Grazyna Danuta Wiesława Marta Paulina Zuzanna Julia Maja Oliwia Weronika Iwona Bożena Urszula Teresa Renata',
    male: 'Piotr Krzysztof Andrzej Tomasz Jan Paweł Pawel Michał Michal Marcin Stanisław Stanislaw Jakub Adam Marek Łukasz Lukasz Grzegorz Mateusz Wojciech Mariusz Dariusz Zbigniew Jerzy Tadeusz Kamil Maciej Rafał Rafal Robert Kacper Szymon Bartosz Przemysław Sławomir Józef Jozef Ryszard Bogdan Henryk Kazimierz Zdzisław',
    family:
      'Nowak Kowalski Kowalska Wiśniewski Wisniewski Wiśniewska Wójcik Wojcik Kowalczyk Kamiński Kaminski Lewandowski Lewandowska Zieliński Zielinski Szymański Szymanski Woźniak Wozniak Dąbrowski Dabrowski Kozłowski Kozlowski Jankowski Mazur Kwiatkowski Krawczyk Piotrowski Grabowski Nowakowski Pawłowski Pawlowski Michalski Nowicki Adamczyk Dudek Zając Zajac Wieczorek Jabłoński Jablonski Król Krol Majewski Olszewski Jaworski Wróbel Wrobel Malinowski Pawlak Witkowski Walczak Stępień Stepien Górski Gorski Rutkowski Michalak Sikora Ostrowski Baran Duda Szewczyk Tomaszewski Pietrzak Marciniak Wróblewski Zalewski Jakubowski Jasiński Zawadzki Sadowski Bąk Chmielewski Włodarczyk Borkowski Czarnecki Sawicki Sokołowski Urbański Kubiak Maciejewski Szczepański Kucharski Wilk Kalinowski Lis Mazurek Wysocki Adamski Kaźmierczak Wasilewski Sobczak Czerwiński Andrzejewski Cieślak Głowacki Zakrzewski Kołodziej Sikorski Krajewski Gajewski Szymczak Szulc Baranowski Laskowski Brzeziński Makowski Ziółkowski Przybylski',
    stems:
      'Now Kowal Wiśniew Lewandow Zieliń Szyman Dąbrow Kozłow Jankow Wojciech Kwiatkow Piotrow Grabow Pawłow Michal Czarn Bor Sad Lask Brzez Mak Wys Kalin Kuch Wil Rut Sob Malin Kras Bial Gorn Sos',
    endings: 'ski ska wicz czyk owski ak ek',
  },
  {
    id: 'chinese',
    language: 'zh',
    languageShare: 0.35,
    middleNameShare: 0.05,
    female:
      'Wei Jing Li_Na Xiaoming Yan Hui Mei Ying Xin Fang Min Lan Xiu_Ying Yu Ling Hong Jie Qing Yun Shu Ting Na Lili Xiaoyan Meiling Mei-Ling Hui-Min Yu-Ting Ya-Ting Shu-Fen Xiaoli Juan Qian Ruolan Wen Grace Vivian Cindy Jenny Amy Helen Annie Joyce Winnie',
    male: 'Wei Jun Lei Hao Jian Ming Qiang Yong Jie Tao Bin Chao Gang Hui Ping Peng Hua Long Feng Dong Kai Xiang Jia_Hao Zhi_Wei Chi-Wai Ka-Ho Wing Kwok Man Chun Tian Zhen Bo Yi Rui Kevin Jason Eric Tony Vincent Jacky Alex Ray Dennis',
    family:
      'Wang Li Lee Zhang Cheung Chang Liu Lau Chen Chan Chin Yang Yeung Huang Wong Zhao Chiu Wu Ng Ho Zhou Chow Chou Xu Hsu Sun Ma Zhu Chu Hu Guo Kwok He Lin Lam Luo Law Gao Ko Zheng Cheng Liang Leung Xie Tse Tang Tong Han Hon Cao Tso Deng Tang Feng Fung Song Sung Yu Yue Tan Chia Lu Loo Ye Yip Pan Poon Du To Dai Tai Xiao Siu Cai Choi Jiang Kong Yuan Yuen Fu Foo Shen Sham Peng Pang Lü Lui Su So Wei Ngai Fang Fong Ren Yan Yim Jin Kam Qiu Yau Xia Ha Zou Chau',
  },
  {
    id: 'vietnamese',
    language: 'vi',
    languageShare: 0.45,
    middleNameShare: 0.6,
    female:
      'Anh Linh Thảo Thao Hương Huong Lan Phương Phuong Ngọc Ngoc Trang Mai Hoa Hằng Hang Thu Thủy Thuy Hạnh Hanh Nga Yến Yen Nhung Vy Vi Trâm Tram Hà Ha Dung Loan Oanh Quyên Tuyết Uyên Xuân Diệp Châu My',
    male: 'Minh Hùng Hung Dũng Dung Tuấn Tuan Quang Thanh Trung Huy Nam Hải Hai Long Sơn Son Phong Khoa Đức Duc Việt Viet Bảo Bao Hiếu Hieu Khánh Khanh Thắng Thang Tùng Tung Vinh Cường Cuong Hoàng Hoang Phúc Phuc Tâm Tam Trí Tri Quốc Quoc',
    family:
      'Nguyễn Nguyen Trần Tran Lê Le Phạm Pham Hoàng Hoang Huỳnh Huynh Phan Vũ Vu Võ Vo Đặng Dang Bùi Bui Đỗ Do Hồ Ho Ngô Ngo Dương Duong Lý Ly Trương Truong Đinh Dinh Lâm Lam Mai Tô To Trịnh Trinh Đoàn Doan Lưu Luu Quách Quach Thái Thai Tạ Ta Cao Châu Chau',
  },
  {
    id: 'korean',
    language: 'ko',
    languageShare: 0.4,
    middleNameShare: 0.05,
    female:
      'Seo-yeon Seoyeon Ji-woo Jiwoo Ha-eun Haeun Soo-jin Soojin Eun-ji Eunji Min-seo Ji-yeon Jiyeon Hye-jin Su-bin Yuna Yu-na Da-eun Ye-jin Hyun-joo Mi-kyung Young-hee Jung-ah Sun-hee Eun-young Grace Esther Christine Julie Sarah',
    male: 'Min-jun Minjun Do-yun Doyun Ji-ho Jiho Hyun-woo Hyunwoo Jae-won Jaewon Sung-min Seung-hyun Joon-ho Joonho Dong-hyun Young-soo Jin-woo Tae-yang Woo-jin Sang-hoon Kyung-soo Jae-hyun Daniel David Paul Peter John Andrew Joseph',
    family:
      'Kim Gim Lee Yi Rhee Park Pak Bak Choi Choe Jung Jeong Chung Kang Cho Jo Yoon Yun Jang Chang Lim Im Han Oh Seo Suh Shin Sin Kwon Gwon Hwang Ahn An Song Yoo Yu Hong Jeon Jun Ko Go Moon Mun Yang Son Sohn Bae Baek Paik Heo Hur Nam Noh Roh Ha Kwak',
  },
  {
    id: 'indian',
    language: 'en',
    languageShare: 1,
    middleNameShare: 0.2,
    female:
      'Priya Ananya Deepika Sunita Lakshmi Kavya Pooja Neha Anjali Divya Aishwarya Shreya Sneha Swati Rekha Meena Geeta Gita Sita Radha Lata Asha Nisha Ritu Pallavi Aarti Arti Shweta Sweta Preeti Priti Kiran Jyoti Nandini Aditi Ishita Tanvi Riya Diya Saanvi Ananya Padma Vani Revathi Kamala Shanthi Shanti',
    male: 'Aarav Rahul Arjun Rohan Sanjay Vikram Aditya Raj Amit Anil Sunil Vijay Ravi Rajesh Suresh Ramesh Mahesh Ganesh Dinesh Rakesh Mukesh Manoj Ajay Vivek Nikhil Karthik Kartik Siddharth Pranav Varun Akash Abhishek Harish Srinivas Venkat Naveen Prakash Deepak Gaurav Sandeep Pradeep Arun Kumar Vishal Rohit Mohit Ankit',
    family:
      'Patel Shah Singh Kumar Sharma Gupta Reddy Rao Iyer Iyengar Nair Desai Mehta Joshi Chatterjee Banerjee Mukherjee Agarwal Aggarwal Agrawal Kapoor Kapur Malhotra Bhatt Bhat Pillai Menon Krishnan Venkatesh Srinivasan Subramanian Ramanathan Natarajan Chopra Khanna Verma Varma Mishra Pandey Tiwari Trivedi Chauhan Yadav Jain Bose Das Dutta Ghosh Sen Sinha Chaudhary Choudhury Thakur Naidu Hegde Kulkarni Patil Deshpande Gill Sandhu Sidhu Dhillon Grewal Bajwa Ahluwalia Mistry Parekh Parikh Modi Dalal Kothari',
  },
  {
    id: 'arabic',
    language: 'en',
    languageShare: 1,
    middleNameShare: 0.3,
    female:
      'Fatima Fatimah Aisha Aysha Layla Leila Laila Nour Noor Zainab Zaynab Mariam Maryam Rania Yasmin Yasmeen Jasmin Huda Amira Amirah Salma Hana Hanna Dina Lina Rana Reem Rim Sara Samira Nadia Nadya Iman Eman Khadija Khadijah Safiya Aaliyah Malak Jana Dalia Farah Ghada Hiba',
    male: 'Mohammed Muhammad Mohamed Mohammad Muhammed Ahmed Ahmad Omar Umar Ali Hassan Hasan Hussein Husain Hussain Yusuf Youssef Yousef Khalid Khaled Hamza Ibrahim Ismail Ismael Karim Kareem Tariq Tarek Samir Sami Rami Bilal Amir Amer Mustafa Mostafa Said Saeed Walid Waleed Nabil Adel Adil Faisal Fahad Zaid Zayd Ziad',
    family:
      'Haddad Khoury Khouri Saleh Salih Hassan Hussein Ali Ahmed Mohammed Abdullah Abdallah Ibrahim Mansour Mansur Nasser Nasr Al-Sayed Alsayed El-Sayed Elsayed El-Amin Elamin Farah Aziz Abdelaziz Rahman Abdulrahman Karim Yousef Youssef Barakat Darwish Khalil Haddad Awad Aoun Hamdan Nassar Qasim Kassem Kassim Jaber Jabr Shamsi Al-Shamsi Hariri Masri Al-Masri Halabi Sabbagh Tawil Khan Hussain Begum Akhtar Qureshi Qureshy Malik Chaudhry Raza Rizvi Siddiqui Siddiqi Sheikh Shaikh Butt Mirza Iqbal Anwar Aslam Bashir',
  },
  {
    id: 'west-african',
    language: 'en',
    languageShare: 1,
    middleNameShare: 0.4,
    female:
      'Ngozi Chiamaka Adaeze Amaka Chioma Nneka Ifeoma Uchenna Folake Funmilayo Funmi Yetunde Bukola Titilayo Abimbola Adunni Ama Abena Akosua Efua Esi Adwoa Akua Yaa Afia Aminata Fatoumata Mariama Kadiatou Awa Oluwaseun Temitope Blessing Precious Favour Comfort Joy',
    male: 'Chinedu Emeka Chukwuemeka Obinna Ikechukwu Nnamdi Uche Chidi Kelechi Oluwaseun Olumide Tunde Babatunde Segun Olusegun Ayodele Femi Adebayo Kwame Kofi Kwabena Kwaku Yaw Kojo Kwesi Mamadou Ousmane Ibrahima Moussa Abdoulaye Samuel Emmanuel Godwin Daniel Joseph Michael',
    family:
      'Okafor Okonkwo Adeyemi Balogun Chukwu Eze Nwosu Adebayo Ogunleye Obi Mensah Boateng Asante Owusu Osei Agyeman Appiah Danso Addo Ansah Okoro Okeke Nwachukwu Nwankwo Ibekwe Onyeka Olawale Oladipo Akinola Afolabi Adewale Bello Abubakar Musa Diallo Traoré Traore Koné Kone Touré Toure Camara Keïta Keita Cissé Cisse Sow Ba Ndiaye Diop Fall Mbaye Sarr Okafor-Smith',
  },
  {
    id: 'nordic',
    language: 'en',
    languageShare: 1,
    middleNameShare: 0.3,
    female:
      'Åsa Asa Ingrid Astrid Sigrid Mette Karin Kristin Kirsten Birgitta Ingeborg Solveig Liv Ragnhild Signe Ebba Elin Maja Freja Frida Saga Linnea Tove Annika Britt Gunilla Hanne Marit Siri Sofie',
    male: 'Björn Bjorn Søren Soren Lars Sven Nils Kjell Erik Eric Anders Johan Magnus Gustav Gustaf Olof Olav Håkan Hakan Leif Per Jens Niels Mikkel Rasmus Thor Tor Arne Knut Stig Gunnar Henrik Jørgen Jorgen Fredrik Mats Mårten Marten',
    family:
      'Johansson Andersson Karlsson Carlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson Pettersson Jonsson Hansen Johansen Olsen Jensen Nielsen Pedersen Petersen Kristiansen Christiansen Sørensen Sorensen Rasmussen Jørgensen Jorgensen Madsen Lindqvist Lindquist Lindberg Lindström Lindstrom Bergström Bergstrom Lundgren Lundqvist Håkansson Hakansson Åberg Aberg Öberg Oberg Sjöberg Sjoberg Holm Dahl Berg Strand Lund Vik Haugen Bakke Solberg Halvorsen Øvergaard Overgaard Nordby Nyström Engström',
    stems:
      'Anders Johan Nils Lars Ol Pers Karl Sven Erik Gustaf Magnus Peder Jens Niels Kristian Håkan Mårten Jakob Matt Ped Rasmus Tor',
    endings: 'sson sen son',
  },
  {
    id: 'portuguese',
    language: 'pt',
    languageShare: 0.3,
    middleNameShare: 0.5,
    doubleSurnameShare: 0.3,
    female:
      'Maria Ana Conceição Conceicao Fernanda Beatriz Inês Ines Mariana Larissa Letícia Leticia Juliana Camila Gabriela Luana Bruna Thaís Thais Débora Debora Vitória Vitoria Raquel Tânia Tania Sónia Sonia Joana Rita Catarina Leonor Margarida Graça Fátima Fatima',
    male: 'João Joao José Jose António Antonio Manuel Francisco Luís Luis Gonçalo Goncalo Tomás Tomas Thiago Tiago Rafael Gabriel Lucas Mateus Matheus Pedro Paulo Rodrigo Bruno Diogo Duarte Rui Vítor Vitor Sérgio Sergio Fábio Fabio Márcio Marcio Leandro Caio Felipe Guilherme',
    family:
      'Silva Santos Oliveira Souza Sousa Pereira Costa Rodrigues Almeida Nascimento Gonçalves Goncalves Araújo Araujo Fernandes Carvalho Lopes Gomes Martins Ribeiro Alves Monteiro Mendes Barros Freitas Barbosa Pinto Moura Cavalcanti Dias Castro Campos Cardoso Teixeira Correia Nunes Vieira Rocha Marques Machado Fonseca Moreira Azevedo Coelho Tavares Magalhães Magalhaes Figueiredo Medeiros Siqueira Brandão Brandao Conceição',
  },
];

/** Culture mix by jurisdiction (weights, not percentages). */
export const CULTURE_WEIGHTS: Readonly<Record<'US' | 'GB', Readonly<Record<string, number>>>> = {
  US: {
    anglo: 52,
    hispanic: 19,
    german: 5,
    irish: 4,
    italian: 3.5,
    french: 1.5,
    polish: 2,
    chinese: 3,
    vietnamese: 1.5,
    korean: 1.2,
    indian: 2.5,
    arabic: 1.5,
    'west-african': 1.3,
    nordic: 1,
    portuguese: 1,
  },
  GB: {
    anglo: 66,
    irish: 5,
    indian: 6,
    arabic: 5,
    polish: 4,
    'west-african': 3.5,
    chinese: 2,
    italian: 2,
    portuguese: 1.5,
    french: 1.5,
    german: 1,
    nordic: 0.5,
    hispanic: 1,
    vietnamese: 0.5,
    korean: 0.5,
  },
};

export const STREET_NAMES_US =
  'Main Oak Maple Pine Cedar Elm Washington Lake Hill Park Walnut Sunset Highland Jackson Lincoln Jefferson Madison Franklin Church River Spring Ridge Meadow Forest Willow Chestnut Hickory Birch Magnolia Dogwood Sycamore Poplar Aspen Cherry Peach Orchard Valley Mill Center Union Market Broad High Front Water Bridge School College University Academy Liberty Independence Heritage Pioneer Frontier Prairie Canyon Mesa Vista Bayview Harbor Ocean Beach Shore Cypress Palm Mission Alameda Ventura Juniper Sequoia Redwood Laurel Holly Ivy Rosewood Briarwood Fox Deer Eagle Hawk Falcon Cardinal Bluebird Robin Sparrow Quail Lark Heron Kingfisher Martin Luther King Roosevelt Kennedy Adams Monroe Grant Wilson Taylor Harrison Cleveland Hamilton Sherman Clay Hancock Marshall Greenwood Glenwood Oakwood Elmwood Lakeview Hillcrest Fairview Riverside Woodland Crestview Parkview Springdale Brookside';
export const STREET_SUFFIXES_US = 'St Ave Rd Dr Ln Blvd Ct Pl Way Ter Cir Pkwy Trl';
export const STREET_NAMES_GB =
  'High Church Station Victoria Green Manor Park Queen’s King’s Mill School New London Kings Queens Grange Windsor Albert Alexandra York Richmond Chester Stanley Springfield Woodland Orchard Meadow Beech Oak Ash Elm Cedar Willow Hawthorn Holly Chestnut Sycamore Poplar Rowan Birch Lime Hazel Maple Heather Primrose Bluebell Clarence Salisbury Cambridge Oxford Nelson Wellington Trafalgar Waterloo Marlborough Devonshire Cromwell Milton Shakespeare Chaucer Byron Tennyson Wordsworth Dickens Elgar Brunel Telford Darwin Newton Faraday';
export const STREET_SUFFIXES_GB =
  'Road Street Lane Avenue Close Drive Way Gardens Crescent Place Terrace Grove Court Rise Walk Mews Hill Row';
